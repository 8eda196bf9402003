// The room state machine of design.md §6: idle → live → ended, idle → ended, nothing out of ended.
import type { RoomStatus } from '../../typings/api';
import { IllegalTransition } from '../../server/errors';
import { canTransition, refuseTransition, sourcesOf } from '../../server/rooms/lifecycle';

const ALL: RoomStatus[] = ['idle', 'live', 'ended'];
const LEGAL = new Set(['idle>live', 'idle>ended', 'live>ended']);

test('exactly the three documented moves are legal', () => {
  for (const from of ALL) {
    for (const to of ALL) expect([from, to, canTransition(from, to)]).toEqual([from, to, LEGAL.has(`${from}>${to}`)]);
  }
});

test('the states a move may start from', () => {
  expect(sourcesOf('live')).toEqual(['idle']);
  expect(sourcesOf('ended')).toEqual(['idle', 'live']);
  expect(sourcesOf('idle')).toEqual([]); // nothing goes back to idle
});

test('a move out of an ended room is refused as room_ended (409), naming the room and the target', () => {
  const e = refuseTransition('R00000000001', 'ended', 'live');
  expect(e).toBeInstanceOf(IllegalTransition);
  expect([e.kind, e.code]).toEqual(['conflict', 'room_ended']);
  expect(e.message).toBe('Room "R00000000001" has ended; it cannot become live.');
});

test('any other refused move is illegal_transition (409), naming both states', () => {
  const e = refuseTransition('R00000000001', 'live', 'live');
  expect([e.kind, e.code]).toEqual(['conflict', 'illegal_transition']);
  expect(e.message).toBe('Room "R00000000001" cannot go from live to live.');
  expect(refuseTransition('R00000000002', 'idle', 'idle').code).toBe('illegal_transition');
});
