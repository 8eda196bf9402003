// Stream paths: `/live/<roomId>` is the room's main stream, `/live/<roomId>~g1`…`~g3` its co-host guests' (issue 15);
// anything else is refused as bad_stream_path by the ingest.
import { parseStreamKey, parseStreamPath, roomIdOf, streamKeyOf, streamPathOf } from '../../../server/media/rtmp/stream-path';

const ROOM = 'Ab3dEf7hIj9K';

test('the main stream and each guest slot parse to the room and the slot', () => {
  expect(parseStreamPath(`/live/${ROOM}`)).toEqual({ roomId: ROOM, slot: null });
  for (const slot of ['g1', 'g2', 'g3'] as const) {
    expect(parseStreamPath(`/live/${ROOM}~${slot}`)).toEqual({ roomId: ROOM, slot });
    expect(roomIdOf(`/live/${ROOM}~${slot}`)).toBe(ROOM);
  }
});

test.each([
  `/live/${ROOM}~g0`, `/live/${ROOM}~g4`, `/live/${ROOM}~`, `/live/${ROOM}~g1~g2`, `/live/${ROOM}~G1`, `/live/${ROOM}g1`,
  `/vod/${ROOM}`, `/live/${ROOM.slice(1)}~g1`, `/live/~g1`, `/live/${ROOM}/x`, '/live/',
])('%s is no stream of ours', (path) => {
  expect(parseStreamPath(path)).toBeNull();
  expect(roomIdOf(path)).toBeNull();
});

test('keys and paths round-trip', () => {
  expect(streamKeyOf(ROOM)).toBe(ROOM);
  expect(streamKeyOf(ROOM, 'g2')).toBe(`${ROOM}~g2`);
  expect(streamPathOf(streamKeyOf(ROOM, 'g3'))).toBe(`/live/${ROOM}~g3`);
  expect(parseStreamKey(streamKeyOf(ROOM, 'g1'))).toEqual({ roomId: ROOM, slot: 'g1' });
});
