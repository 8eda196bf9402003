// Every live-player `statechange` code → the status line a viewer sees (lib/messages) and what the page does.
import { t, type MessageKey } from './i18n';
import type { Tone } from './pusher-states';

export type PlayerAction =
  | 'none'
  /** 2004: video is playing */
  | 'playing'
  /** 2007: loading — show the buffering indicator until 2004 */
  | 'buffering'
  /** 2105: stutter, after the fact — show the buffering indicator briefly (nothing promises a 2004 after it) */
  | 'stutter'
  /** 2103: the SDK is reconnecting by itself */
  | 'reconnecting'
  /** -2301: the SDK gave up — re-fetch play URLs and retry with backoff, then "host is offline" */
  | 'refetch'
  /** 2006: the stream ended — check the room */
  | 'stream-ended';

export interface PlayerState {
  status: string;
  tone: Tone;
  action: PlayerAction;
}

interface Row { key: MessageKey; tone: Tone; action: PlayerAction }

const s = (key: MessageKey, tone: Tone, action: PlayerAction = 'none'): Row => ({ key, tone, action });

export const PLAYER_STATES: Readonly<Record<number, Row>> = {
  2001: s('player.2001', 'info'),
  2002: s('player.2002', 'info'),
  2003: s('player.2003', 'info'),
  2004: s('player.2004', 'ok', 'playing'),
  2005: s('player.2005', 'ok'),
  2006: s('player.2006', 'warn', 'stream-ended'),
  2007: s('player.2007', 'info', 'buffering'),
  2008: s('player.2008', 'info'),
  2009: s('player.2009', 'info'),
  2101: s('player.2101', 'warn'),
  2102: s('player.2102', 'warn'),
  2103: s('player.2103', 'warn', 'reconnecting'),
  2104: s('player.2104', 'warn'),
  2105: s('player.2105', 'warn', 'stutter'),
  2106: s('player.2106', 'warn'),
  2107: s('player.2107', 'warn'),
  2108: s('player.2108', 'warn'),
  [-2301]: s('player.-2301', 'error', 'refetch'),
  [-2302]: s('player.-2302', 'error', 'refetch'),
  3001: s('player.3001', 'warn'),
  3002: s('player.3002', 'warn'),
  3003: s('player.3003', 'warn'),
  // not documented for live-player, but mapped so a future SDK that sends it is still explained
  3004: s('player.3004', 'warn'),
  3005: s('player.3005', 'warn'),
};

export function playerState(code: number): PlayerState {
  const row = PLAYER_STATES[code];
  if (!row) return { status: t('player.unknown', { code }), tone: code < 0 ? 'error' : 'info', action: 'none' };
  return { status: t(row.key), tone: row.tone, action: row.action };
}
