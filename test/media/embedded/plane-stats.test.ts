// The plane's one per-second sampler: rooms with nothing left are dropped, HTTP bytes become the outgoing rate.
import { PlaneStats } from '../../../server/media/embedded/plane-stats';
import type { RoomMediaOptions } from '../../../server/media/embedded/room-media';
import { RoomMediaTable } from '../../../server/media/embedded/room-media-table';
import { createMetrics } from '../../../server/metrics';

const ROOM = 'AAAAAAAAAAAA';
const NEW = { id: 'Broadcast1', resumes: false };
const OPTIONS: RoomMediaOptions = { hub: { subscribe: () => () => {} }, flv: { mergeMs: 0, maxBufferedBytes: 1 << 20, onSlow: () => {} } };
const NO_RTMP = { publisher: () => null, rtmpViewers: () => 0, bytesOut: () => 0 };

test('a sample drops a room with no publisher, recorder or viewer, so the snapshot lists no phantom stream', () => {
  const table = new RoomMediaTable(OPTIONS, NO_RTMP);
  const stats = new PlaneStats(table, NO_RTMP, createMetrics());
  const t = Date.now(); // viewerCounts() reads the clock
  table.get(ROOM).seenHlsClient('10.0.0.1', t);
  stats.sample(t);
  expect(stats.snapshot().streams.map((s) => s.roomId)).toEqual([ROOM]);
  expect(stats.viewerCounts(ROOM)).toEqual({ flv: 0, rtmp: 0, hls: 1, total: 1 });
  stats.sample(t + 60_000); // the HLS client stopped fetching long ago
  expect(stats.snapshot().streams).toEqual([]);
  expect(stats.stream(ROOM)).toBeNull();
});

test('bytes counted out per room add to the stream and, sampled each second, to the outgoing bitrate', () => {
  const table = new RoomMediaTable(OPTIONS, NO_RTMP);
  const stats = new PlaneStats(table, NO_RTMP, createMetrics());
  const m = table.get(ROOM);
  m.admitPublisher('s1', NEW); // keeps the room in the table
  stats.sample();
  for (const n of [1000, 500]) {
    m.countOut('hls', n);
    stats.countOut(n);
  }
  stats.sample();
  expect(stats.stream(ROOM)!.bytesOut).toBe(1500);
  expect(stats.snapshot().totals.bitrateOut).toBe(1500 * 8);
});

test('an FLV viewer dropped as too slow counts for its room (the charts draw each stream\'s drops)', () => {
  const taps: { onTag(tag: Buffer): void }[] = [];
  const hub = { subscribe: (_id: string, tap: { onTag(tag: Buffer): void }) => { taps.push(tap); return () => {}; } };
  const table = new RoomMediaTable({ ...OPTIONS, hub, flv: { ...OPTIONS.flv, maxBufferedBytes: 100 } }, NO_RTMP);
  const stats = new PlaneStats(table, NO_RTMP, createMetrics());
  const sink = (backlog: number) => ({ writableLength: backlog, destroyed: false, write: () => true, end() {}, destroy() { this.destroyed = true; } });
  const m = table.get(ROOM);
  m.admitPublisher('s1', NEW);
  const slow = sink(1000); // its socket is already backed up
  m.watchFlv(slow);
  m.watchFlv(sink(0));
  expect(stats.droppedViewers(ROOM)).toBe(0);
  for (const t of taps) t.onTag(Buffer.from([9, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0x27, 1, 2, 3, 4, 0, 0, 0, 16]));
  expect(slow.destroyed).toBe(true);
  expect(stats.droppedViewers(ROOM)).toBe(1);
  expect(stats.droppedViewers('BBBBBBBBBBBB')).toBe(0);
});

test('co-host guests: their FLV viewers count in the room\'s viewers, their input in the bytes-in total; a guest keeps the room listed', async () => {
  const bytesIn: Record<string, number> = { [`${ROOM}~g1`]: 0 };
  const rtmp = {
    ...NO_RTMP,
    publisher: (key: string) => (key in bytesIn ? { bytesIn: bytesIn[key]! } : null) as never,
  };
  const table = new RoomMediaTable(OPTIONS, NO_RTMP);
  const metrics = createMetrics();
  const stats = new PlaneStats(table, rtmp, metrics);
  const m = table.get(ROOM);
  expect(m.guest('g1').admit('guest-session')).toBe(true);
  const sink = { destroyed: false, writableLength: 0, write: () => true, end: () => {}, destroy: () => {} };
  m.watchFlv(sink, { slot: 'g1', lowLatency: true });
  m.watchFlv({ ...sink }, {});
  stats.sample();
  expect(stats.viewerCounts(ROOM)).toEqual({ flv: 2, rtmp: 0, hls: 0, total: 2 });
  bytesIn[`${ROOM}~g1`] = 4000;
  stats.sample();
  const text = await metrics.registry.metrics();
  expect(text).toMatch(/^wxlive_bytes_in_total 4000$/m);
  expect(stats.snapshot().streams.map((s) => s.roomId)).toEqual([ROOM]);
  m.endGuest('g1');
  expect(m.flvViewers).toBe(1);
});
