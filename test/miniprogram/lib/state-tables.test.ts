import { PLAYER_STATES, playerState } from '../../../miniprogram/lib/player-states';
import { PUSHER_PERMISSION_ERRORS, PUSHER_STATES, pusherState } from '../../../miniprogram/lib/pusher-states';

const range = (a: number, b: number) => Array.from({ length: Math.abs(b - a) + 1 }, (_, i) => (a < b ? a + i : a - i));

test('every documented pusher code has a row', () => {
  const codes = [...range(1001, 1008), ...range(1101, 1106), ...range(-1301, -1312), ...range(3001, 3005)];
  for (const code of codes) expect(PUSHER_STATES[code]).toBeDefined();
  expect(Object.keys(PUSHER_STATES)).toHaveLength(codes.length);
});

test('pusher codes with actions map as documented', () => {
  expect(pusherState(1002)).toMatchObject({ status: 'Live', action: 'live', tone: 'ok' });
  expect(pusherState(1101).action).toBe('weak-network');
  expect(pusherState(1102)).toMatchObject({ status: 'Reconnecting…', action: 'reconnecting' });
  expect(pusherState(-1307).action).toBe('refresh-push');
  expect(pusherState(3004).action).toBe('resign');
  for (const code of [-1301, -1302, -1311]) expect(pusherState(code).action).toBe('device-error');
  // the SDK reconnects by itself on these; only -1307 asks us to act
  for (const code of [3001, 3002, 3003, 3005, 1001, 1003]) expect(pusherState(code).action).toBe('none');
});

test('unknown pusher codes are shown, never acted on', () => {
  expect(pusherState(1999)).toEqual({ status: 'Pusher event 1999', tone: 'info', action: 'none' });
  expect(pusherState(-1999).tone).toBe('error');
});

test('permission errors name the scope to ask for again', () => {
  expect(PUSHER_PERMISSION_ERRORS[10001].scope).toBe('scope.camera');
  expect(PUSHER_PERMISSION_ERRORS[10002].scope).toBe('scope.record');
});

test('every documented player code has a row', () => {
  const codes = [...range(2001, 2009), ...range(2101, 2108), -2301, -2302, ...range(3001, 3005)];
  for (const code of codes) expect(PLAYER_STATES[code]).toBeDefined();
  expect(Object.keys(PLAYER_STATES)).toHaveLength(codes.length);
});

test('player codes with actions map as documented', () => {
  expect(playerState(2004)).toMatchObject({ status: 'Playing', action: 'playing' });
  expect(playerState(2007).action).toBe('buffering');
  expect(playerState(2105).action).toBe('buffering');
  expect(playerState(2103)).toMatchObject({ status: 'Reconnecting…', action: 'reconnecting' });
  expect(playerState(-2301).action).toBe('refetch');
  expect(playerState(2006).action).toBe('stream-ended');
  expect(playerState(2104).action).toBe('none');
  expect(playerState(4242)).toEqual({ status: 'Player event 4242', tone: 'info', action: 'none' });
});
