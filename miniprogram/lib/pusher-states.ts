// Every live-pusher `statechange` code → the text the host sees (lib/messages), whether it is the main
// status or only a passing event, and what the page does about it.
import { t, type MessageKey } from './i18n';

export type Tone = 'ok' | 'info' | 'warn' | 'error';

export type PusherAction =
  | 'none'
  /** 1002: the stream is being published */
  | 'live'
  /** 1101: uplink too slow — show the weak-network banner */
  | 'weak-network'
  /** 1102: the SDK is reconnecting by itself */
  | 'reconnecting'
  /** -1307: the SDK gave up reconnecting — fetch a fresh push URL and restart with backoff */
  | 'refresh-push'
  /** 3004: the server closed the connection (e.g. the signature expired) — re-sign once and restart */
  | 'resign'
  /** camera or microphone failure — explain and stop */
  | 'device-error'
  /** the phone cannot push at all (encoder, OS version…) — explain and stop */
  | 'fatal'
  /** 5000: WeChat suspended the mini-program and stopped the push — not live; restart when the page shows */
  | 'suspended';

export interface PusherState {
  status: string;
  tone: Tone;
  action: PusherAction;
  /**
   * true: a change of state, shown as the main status ("Live", "Reconnecting…", a failure); false: news the
   * SDK copes with by itself (1005 bitrate adjusted, 3002 retrying the connection…), shown beside it, so
   * it never overwrites "Live"
   */
  main: boolean;
}

interface Row { key: MessageKey; tone: Tone; action: PusherAction }

const s = (key: MessageKey, tone: Tone, action: PusherAction = 'none'): Row => ({ key, tone, action });
/** weak network has its own banner; what has no action is only news */
const isMain = (action: PusherAction): boolean => action !== 'none' && action !== 'weak-network';

export const PUSHER_STATES: Readonly<Record<number, Row>> = {
  1001: s('pusher.1001', 'info'),
  1002: s('pusher.1002', 'ok', 'live'),
  1003: s('pusher.1003', 'info'),
  1004: s('pusher.1004', 'info'),
  1005: s('pusher.1005', 'info'),
  1006: s('pusher.1006', 'info'),
  1007: s('pusher.1007', 'info'),
  1008: s('pusher.1008', 'info'),
  1101: s('pusher.1101', 'warn', 'weak-network'),
  1102: s('pusher.1102', 'warn', 'reconnecting'),
  1103: s('pusher.1103', 'warn'),
  1104: s('pusher.1104', 'warn'),
  1105: s('pusher.1105', 'warn'),
  1106: s('pusher.1106', 'warn'),
  [-1301]: s('pusher.-1301', 'error', 'device-error'),
  [-1302]: s('pusher.-1302', 'error', 'device-error'),
  [-1303]: s('pusher.-1303', 'error', 'fatal'),
  [-1304]: s('pusher.-1304', 'error', 'fatal'),
  [-1305]: s('pusher.-1305', 'error', 'fatal'),
  [-1306]: s('pusher.-1306', 'error', 'fatal'),
  [-1307]: s('pusher.-1307', 'error', 'refresh-push'),
  [-1308]: s('pusher.-1308', 'error', 'fatal'),
  [-1309]: s('pusher.-1309', 'error', 'fatal'),
  [-1310]: s('pusher.-1310', 'error', 'fatal'),
  [-1311]: s('pusher.-1311', 'error', 'device-error'),
  [-1312]: s('pusher.-1312', 'warn'),
  3001: s('pusher.3001', 'warn'),
  3002: s('pusher.3002', 'warn'),
  3003: s('pusher.3003', 'warn'),
  3004: s('pusher.3004', 'error', 'resign'),
  3005: s('pusher.3005', 'warn'),
  5000: s('pusher.5000', 'error', 'suspended'),
};

/** The row for `code`; unknown codes (newer SDKs add some) are shown, never acted on. */
export function pusherState(code: number): PusherState {
  const row = PUSHER_STATES[code];
  if (!row) return { status: t('pusher.unknown', { code }), tone: code < 0 ? 'error' : 'info', action: 'none', main: false };
  return { status: t(row.key), tone: row.tone, action: row.action, main: isMain(row.action) };
}

/** binderror codes: permissions refused by the user. */
export const PUSHER_PERMISSION_ERRORS: Readonly<Record<number, { scope: 'scope.camera' | 'scope.record'; key: MessageKey }>> = {
  10001: { scope: 'scope.camera', key: 'pusher.cameraRefused' },
  10002: { scope: 'scope.record', key: 'pusher.micRefused' },
};
