// The statechange tables against the official code meanings (research.md, "WeChat live components"): each
// expectation below is written from the documented meaning, not read off the table under test.
import { PLAYER_STATES, playerState, type PlayerAction } from '../../../miniprogram/lib/player-states';
import { resetLocale, t } from '../../../miniprogram/lib/i18n';
import { PUSHER_PERMISSION_ERRORS, PUSHER_STATES, pusherState, type PusherAction, type Tone } from '../../../miniprogram/lib/pusher-states';

// the meanings are checked on the English texts; lib/messages.test.ts checks every key has its Chinese text
beforeAll(() => { resetLocale('en'); });
afterAll(() => { resetLocale(); });

interface Official<A> {
  /** the documented meaning, as research.md words it */
  meaning: string;
  /** what the status line must say so the meaning reaches the user */
  says: RegExp;
  /** what the page has to do about it */
  action: A;
  tone: Tone | Tone[];
}
const row = <A>(meaning: string, says: RegExp, tone: Tone | Tone[], action: A): Official<A> => ({ meaning, says, tone, action });

// events are information, 11xx/21xx/3xxx warnings (the SDK keeps going), negative codes failures
const PUSHER: Record<number, Official<PusherAction>> = {
  1001: row('connected', /connected/i, 'info', 'none'),
  1002: row('handshake done, pushing', /^live$/i, 'ok', 'live'),
  1003: row('camera opened', /camera/i, 'info', 'none'),
  1004: row('screen capture started', /screen/i, 'info', 'none'),
  1005: row('resolution changed', /resolution/i, 'info', 'none'),
  1006: row('bitrate changed', /bitrate/i, 'info', 'none'),
  1007: row('first frame captured', /first frame/i, 'info', 'none'),
  1008: row('encoder started', /encoder/i, 'info', 'none'),
  1101: row('uplink too slow', /upload|uplink|slow/i, 'warn', 'weak-network'),
  1102: row('network lost, auto reconnecting', /reconnecting/i, 'warn', 'reconnecting'),
  1103: row('falling back to soft encoding', /software/i, 'warn', 'none'),
  1104: row('encoder warning', /encod/i, 'warn', 'none'),
  // not "encoder restarted" / "audio warning": the new beauty encoder failed and the old software one is used
  1105: row('new beauty soft encoder failed, old soft encoder used', /new beauty encoder.*old software encoder/i, 'warn', 'none'),
  1106: row('new beauty soft encoder failed, old soft encoder used', /new beauty encoder.*old software encoder/i, 'warn', 'none'),
  [-1301]: row('camera failed', /camera/i, 'error', 'device-error'),
  [-1302]: row('mic failed', /microphone/i, 'error', 'device-error'),
  [-1303]: row('video encode failed', /video encod/i, 'error', 'fatal'),
  [-1304]: row('audio encode failed', /audio encod/i, 'error', 'fatal'),
  [-1305]: row('resolution unsupported', /resolution.*not supported/i, 'error', 'fatal'),
  [-1306]: row('sample rate unsupported', /sample rate.*not supported/i, 'error', 'fatal'),
  [-1307]: row('network lost and reconnects exhausted (restart yourself)', /connection lost/i, 'error', 'refresh-push'),
  [-1308]: row('screen capture refused', /screen.*refused/i, 'error', 'fatal'),
  [-1309]: row('Android < 5', /Android 5/, 'error', 'fatal'),
  [-1310]: row('screen capture interrupted', /screen.*interrupted/i, 'error', 'fatal'),
  [-1311]: row('mic gives no data', /microphone/i, 'error', 'device-error'),
  // the broadcast goes on with the picture as it was
  [-1312]: row('rotation failed', /rotate/i, ['warn', 'error'], 'none'),
  3001: row('DNS', /resolve the server address/i, 'warn', 'none'),
  3002: row('connect', /connect to the server/i, 'warn', 'none'),
  3003: row('handshake', /handshake/i, 'warn', 'none'),
  3004: row('server closed the connection (e.g. expired signature)', /server closed/i, ['warn', 'error'], 'resign'),
  3005: row('read/write failure', /read\/write/i, 'warn', 'none'),
  // Tencent's demo treats it as terminal: nothing is sent any more
  5000: row('mini-program suspended, push stopped', /suspended.*stopped/i, 'error', 'suspended'),
};

const PLAYER: Record<number, Official<PlayerAction>> = {
  2001: row('connected', /connected/i, 'info', 'none'),
  2002: row('pulling', /receiving/i, 'info', 'none'),
  2003: row('first IDR', /first frame/i, 'info', 'none'),
  2004: row('playing', /^playing$/i, 'ok', 'playing'),
  2005: row('progress', /playing/i, ['ok', 'info'], 'none'),
  2006: row('ended', /stopped|ended/i, ['info', 'warn'], 'stream-ended'),
  2007: row('loading', /loading/i, 'info', 'buffering'),
  2008: row('decoder started', /decoder/i, 'info', 'none'),
  2009: row('resolution changed', /resolution/i, 'info', 'none'),
  2101: row('video decode failed', /decode a frame/i, 'warn', 'none'),
  2102: row('audio decode failed', /decode audio/i, 'warn', 'none'),
  2103: row('network lost, auto reconnecting', /reconnecting/i, 'warn', 'reconnecting'),
  2104: row('unstable', /unstable/i, 'warn', 'none'),
  2106: row('hw decode failed', /hardware decoding/i, 'warn', 'none'),
  2107: row('frames dropped', /dropped/i, 'warn', 'none'),
  2108: row('first I-frame hw decode failed', /hardware decoding/i, 'warn', 'none'),
  [-2301]: row('network lost and reconnects exhausted', /connection lost/i, 'error', 'refetch'),
  [-2302]: row('accelerated URL failed', /could not load/i, 'error', 'refetch'),
  3001: row('DNS', /resolve the server address/i, 'warn', 'none'),
  3002: row('connect', /connect to the server/i, 'warn', 'none'),
  3003: row('handshake', /handshake/i, 'warn', 'none'),
  3005: row('read/write failure', /read\/write/i, 'warn', 'none'),
};

const cases = <A>(t: Record<number, Official<A>>) => Object.entries(t).map(([code, o]) => [Number(code), o.meaning, o] as const);

test.each(cases(PUSHER))('pusher %i (%s)', (code, _meaning, want) => {
  const got = pusherState(code);
  expect(got.status).toMatch(want.says);
  expect(got.action).toBe(want.action);
  expect([want.tone].flat()).toContain(got.tone);
});

test.each(cases(PLAYER))('player %i (%s)', (code, _meaning, want) => {
  const got = playerState(code);
  expect(got.status).toMatch(want.says);
  expect(got.action).toBe(want.action);
  expect([want.tone].flat()).toContain(got.tone);
});

test('player 2105 (stutter) is a warning; it never makes the page give up or end the room', () => {
  // an after-the-fact warning: nothing guarantees a 2004 follows it (research.md, "Added 2026-12")
  const got = playerState(2105);
  expect(got.status).toMatch(/stutter/i);
  expect(got.tone).toBe('warn');
  expect(['none', 'stutter']).toContain(got.action);
});

test('the tables hold the documented codes and nothing else, but player 3004 (kept in case a newer SDK sends it)', () => {
  expect(Object.keys(PUSHER_STATES).map(Number).sort()).toEqual(Object.keys(PUSHER).map(Number).sort());
  expect(Object.keys(PLAYER_STATES).map(Number).sort()).toEqual([...Object.keys(PLAYER).map(Number), 2105, 3004].sort());
  expect(playerState(3004)).toMatchObject({ tone: 'warn', action: 'none' });
});

test('unknown codes (newer SDKs add some) are shown with their number, never acted on', () => {
  expect(pusherState(1999)).toEqual({ status: 'Pusher event 1999', tone: 'info', action: 'none', main: false });
  expect(pusherState(-1999)).toEqual({ status: 'Pusher event -1999', tone: 'error', action: 'none', main: false });
  expect(pusherState(0)).toEqual({ status: 'Pusher event 0', tone: 'info', action: 'none', main: false });
  expect(playerState(4242)).toEqual({ status: 'Player event 4242', tone: 'info', action: 'none' });
  expect(playerState(-4242)).toEqual({ status: 'Player event -4242', tone: 'error', action: 'none' });
  expect(playerState(0)).toEqual({ status: 'Player event 0', tone: 'info', action: 'none' });
});

test('binderror 10001 / 10002: the refused permission is named and asked for again', () => {
  expect(PUSHER_PERMISSION_ERRORS[10001].scope).toBe('scope.camera');
  expect(t(PUSHER_PERMISSION_ERRORS[10001].key)).toMatch(/camera/i);
  expect(PUSHER_PERMISSION_ERRORS[10002].scope).toBe('scope.record');
  expect(t(PUSHER_PERMISSION_ERRORS[10002].key)).toMatch(/microphone/i);
  expect(Object.keys(PUSHER_PERMISSION_ERRORS)).toEqual(['10001', '10002']);
});

test('only state changes are the main status; the SDK\'s news (1005, 1006, 3001–3005 but 3004, unknown codes) never is', () => {
  const news = [1001, 1003, 1004, 1005, 1006, 1007, 1008, 1101, 1103, 1104, 1105, 1106, -1312, 3001, 3002, 3003, 3005, 4998, 1999];
  expect(news.filter((code) => pusherState(code).main)).toEqual([]);
  const changes = [1002, 1102, -1301, -1302, -1303, -1304, -1305, -1306, -1307, -1308, -1309, -1310, -1311, 3004, 5000];
  expect(changes.filter((code) => !pusherState(code).main)).toEqual([]);
  expect(news.length + changes.length - 2).toBe(Object.keys(PUSHER_STATES).length);
});
