// Every live-pusher `statechange` code → the status line the host sees and what the page does about it.

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
  | 'fatal';

export interface PusherState {
  status: string;
  tone: Tone;
  action: PusherAction;
}

const s = (status: string, tone: Tone, action: PusherAction = 'none'): PusherState => ({ status, tone, action });

export const PUSHER_STATES: Readonly<Record<number, PusherState>> = {
  1001: s('Connected to the server', 'info'),
  1002: s('Live', 'ok', 'live'),
  1003: s('Camera ready', 'info'),
  1004: s('Screen capture started', 'info'),
  1005: s('Resolution adjusted to the network', 'info'),
  1006: s('Bitrate adjusted to the network', 'info'),
  1007: s('First frame captured', 'info'),
  1008: s('Encoder started', 'info'),
  1101: s('Weak network: upload is too slow', 'warn', 'weak-network'),
  1102: s('Reconnecting…', 'warn', 'reconnecting'),
  1103: s('Hardware encoder unavailable, using software encoding', 'warn'),
  1104: s('Video encoding hiccup', 'warn'),
  1105: s('Video encoder restarted', 'warn'),
  1106: s('Audio encoder warning', 'warn'),
  [-1301]: s('Could not open the camera', 'error', 'device-error'),
  [-1302]: s('Could not open the microphone', 'error', 'device-error'),
  [-1303]: s('Video encoding failed', 'error', 'fatal'),
  [-1304]: s('Audio encoding failed', 'error', 'fatal'),
  [-1305]: s('This resolution is not supported; choose SD', 'error', 'fatal'),
  [-1306]: s('This audio sample rate is not supported', 'error', 'fatal'),
  [-1307]: s('Connection lost; getting a fresh stream address…', 'error', 'refresh-push'),
  [-1308]: s('Screen recording was refused', 'error', 'fatal'),
  [-1309]: s('Broadcasting needs Android 5.0 or later', 'error', 'fatal'),
  [-1310]: s('Screen recording was interrupted', 'error', 'fatal'),
  [-1311]: s('The microphone gives no sound', 'error', 'device-error'),
  [-1312]: s('Could not rotate the picture', 'warn'),
  3001: s('Cannot resolve the server address', 'warn'),
  3002: s('Cannot connect to the server', 'warn'),
  3003: s('Server handshake failed', 'warn'),
  3004: s('The server closed the connection', 'error', 'resign'),
  3005: s('Network read/write failed', 'warn'),
};

/** The row for `code`; unknown codes (newer SDKs add some) are shown, never acted on. */
export function pusherState(code: number): PusherState {
  return PUSHER_STATES[code] ?? s(`Pusher event ${code}`, code < 0 ? 'error' : 'info');
}

/** binderror codes: permissions refused by the user. */
export const PUSHER_PERMISSION_ERRORS: Readonly<Record<number, { scope: 'scope.camera' | 'scope.record'; status: string }>> = {
  10001: { scope: 'scope.camera', status: 'Camera access was refused. Allow it in Settings to broadcast.' },
  10002: { scope: 'scope.record', status: 'Microphone access was refused. Allow it in Settings to broadcast.' },
};
