// Recent HLS clients of a room: counted by key within the window, and bounded however many keys arrive.
import { HLS_CLIENT_WINDOW_MS, MAX_HLS_CLIENTS, RoomMedia, type RoomMediaOptions } from '../../../server/media/embedded/room-media';

const NO_HUB: RoomMediaOptions = { hub: { subscribe: () => () => {} }, flv: { mergeMs: 0, maxBufferedBytes: 1 << 20, onSlow: () => {} } };

test('a client counts while it fetched within the window; a repeat is the same client', () => {
  const m = new RoomMedia('AAAAAAAAAAAA', NO_HUB);
  m.seenHlsClient('10.0.0.1', 1000);
  m.seenHlsClient('10.0.0.2', 1000);
  m.seenHlsClient('10.0.0.2', 2000);
  expect(m.hlsViewers(2000)).toBe(2);
  expect(m.hlsViewers(1000 + HLS_CLIENT_WINDOW_MS + 1)).toBe(1); // the second fetched again at 2000
  expect(m.hlsViewers(2000 + HLS_CLIENT_WINDOW_MS + 1)).toBe(0);
});

test('a flood of addresses saturates at MAX_HLS_CLIENTS; known clients still refresh', () => {
  const m = new RoomMedia('AAAAAAAAAAAA', NO_HUB);
  for (let i = 0; i <= MAX_HLS_CLIENTS; i++) m.seenHlsClient(`2001:db8::${i.toString(16)}`, 0);
  expect(m.hlsViewers(0)).toBe(MAX_HLS_CLIENTS);
  m.seenHlsClient('2001:db8::0', HLS_CLIENT_WINDOW_MS + 1);
  expect(m.hlsViewers(HLS_CLIENT_WINDOW_MS + 1)).toBe(1);
  m.seenHlsClient('2001:db8::ffffff', HLS_CLIENT_WINDOW_MS + 1); // room again once the old ones aged out
  expect(m.hlsViewers(HLS_CLIENT_WINDOW_MS + 1)).toBe(2);
});
