// Every live-player `statechange` code → the status line a viewer sees and what the page does about it.
import type { Tone } from './pusher-states';

export type PlayerAction =
  | 'none'
  /** 2004: video is playing */
  | 'playing'
  /** 2007 / 2105: loading or stutter — show the buffering indicator */
  | 'buffering'
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

const s = (status: string, tone: Tone, action: PlayerAction = 'none'): PlayerState => ({ status, tone, action });

export const PLAYER_STATES: Readonly<Record<number, PlayerState>> = {
  2001: s('Connected', 'info'),
  2002: s('Receiving the stream', 'info'),
  2003: s('First frame received', 'info'),
  2004: s('Playing', 'ok', 'playing'),
  2005: s('Playing', 'ok'),
  2006: s('The stream has stopped', 'warn', 'stream-ended'),
  2007: s('Loading…', 'info', 'buffering'),
  2008: s('Decoder started', 'info'),
  2009: s('Resolution changed', 'info'),
  2101: s('Could not decode a frame', 'warn'),
  2102: s('Could not decode audio', 'warn'),
  2103: s('Reconnecting…', 'warn', 'reconnecting'),
  2104: s('Unstable network', 'warn'),
  2105: s('Stuttering…', 'warn', 'buffering'),
  2106: s('Hardware decoding unavailable, using software', 'warn'),
  2107: s('Frames dropped', 'warn'),
  2108: s('Hardware decoding failed, using software', 'warn'),
  [-2301]: s('Connection lost; trying again…', 'error', 'refetch'),
  [-2302]: s('Could not load the stream', 'error', 'refetch'),
  3001: s('Cannot resolve the server address', 'warn'),
  3002: s('Cannot connect to the server', 'warn'),
  3003: s('Server handshake failed', 'warn'),
  // not documented for live-player, but mapped so a future SDK that sends it is still explained
  3004: s('The server closed the connection', 'warn'),
  3005: s('Network read/write failed', 'warn'),
};

export function playerState(code: number): PlayerState {
  return PLAYER_STATES[code] ?? s(`Player event ${code}`, code < 0 ? 'error' : 'info');
}
