// The stats history: 2 s points in 30-minute rings, deltas for CPU and drops, streams kept until their last
// point leaves the window, at most maxStreams of them.
import type { StreamStats } from '../../typings/api';
import { StatsHistory, type HistorySources } from '../../server/stats/stats-history';
import { SeriesRing } from '../../server/stats/series-ring';

function stream(roomId: string, over: Partial<StreamStats> = {}): StreamStats {
  return {
    roomId,
    publisher: { address: '127.0.0.1', since: new Date(0).toISOString() },
    video: { codec: 'H264', width: 640, height: 360, fps: 25 },
    audio: null,
    bitrateIn: 800_000,
    viewers: { flv: 2, rtmp: 1, hls: 3, total: 6 },
    bytesIn: 0,
    bytesOut: 0,
    ...over,
  };
}

/** A fake plane and process whose figures the test sets between samples. */
function fakeSources() {
  const state = { streams: [] as StreamStats[], bitrateOut: 0, http: 0, dropped: 0, droppedOf: new Map<string, number>(), cpu: 0, rss: 50e6 };
  const sources: HistorySources = {
    snapshot: () => ({ streams: state.streams, totals: { bitrateOut: state.bitrateOut } }),
    httpConnections: () => state.http,
    droppedViewers: async () => state.dropped,
    droppedViewersOf: (id) => state.droppedOf.get(id) ?? 0,
    process: { cpuMicros: () => state.cpu, rssBytes: () => state.rss },
  };
  return { state, sources };
}

const T0 = 1_800_000_000_000;

describe('SeriesRing', () => {
  test('keeps the newest `capacity` points, oldest first', () => {
    const ring = new SeriesRing(3, ['v'] as const);
    for (let i = 1; i <= 5; i++) ring.push(i, { v: i * 10 });
    expect(ring.columns()).toEqual({ t: [3, 4, 5], v: [30, 40, 50] });
    expect(ring.lastT).toBe(5);
    ring.dropBefore(5);
    expect(ring.columns()).toEqual({ t: [5], v: [50] });
  });
});

describe('StatsHistory', () => {
  test('900 points of 2 s make the 30-minute window', () => {
    const h = new StatsHistory(fakeSources().sources);
    expect([h.intervalMs, h.windowMs, h.capacity]).toEqual([2000, 1_800_000, 900]);
  });

  test('server points: CPU % from cpuUsage deltas, RSS, bytes out/s, HTTP + RTMP connections, drops per interval', async () => {
    const { state, sources } = fakeSources();
    const h = new StatsHistory(sources);
    h.start(T0); // the CPU meter starts here
    h.stop();
    state.cpu = 1_000_000; // 1 s of CPU in 2 s of wall time
    state.bitrateOut = 8_000_000;
    state.http = 7;
    state.streams = [stream('r1'), stream('r2', { publisher: null, viewers: { flv: 0, rtmp: 2, hls: 0, total: 2 } })];
    state.dropped = 4;
    await h.sample(T0 + 2000);
    state.cpu = 1_500_000; // 0.5 s more
    state.dropped = 6;
    await h.sample(T0 + 4000);
    const v = h.view();
    expect(v.intervalS).toBe(2);
    expect(v.windowS).toBe(1800);
    expect(v.server).toEqual({
      t: [(T0 + 2000) / 1000, (T0 + 4000) / 1000],
      cpuPercent: [50, 25],
      rssBytes: [50e6, 50e6],
      bytesOutPerS: [1e6, 1e6],
      httpConnections: [7, 7],
      rtmpConnections: [4, 4], // r1: publisher + 1 player; r2: 2 players
      droppedViewers: [0, 2], // the counter's first reading is the baseline
    });
  });

  test('per stream: bitrate in, fps, viewers by protocol, dropped viewers; ?roomId picks one', async () => {
    const { state, sources } = fakeSources();
    const h = new StatsHistory(sources);
    state.streams = [stream('r1')];
    await h.sample(T0);
    state.streams = [stream('r1', { bitrateIn: 1_200_000, video: { codec: 'H264', width: 640, height: 360, fps: 24.5 } }), stream('r2')];
    state.droppedOf.set('r1', 3);
    await h.sample(T0 + 2000);
    const r1 = h.view('r1');
    expect(r1.streams).toEqual([{
      roomId: 'r1', live: true, t: [T0 / 1000, T0 / 1000 + 2],
      bitrateIn: [800_000, 1_200_000], fps: [25, 24.5],
      viewers: { flv: [2, 2], rtmp: [1, 1], hls: [3, 3] },
      droppedViewers: [0, 3],
    }]);
    expect(h.view().streams.map((s) => s.roomId).sort()).toEqual(['r1', 'r2']);
    expect(h.view('nope').streams).toEqual([]);
  });

  test('without per-stream drop counts the stream series says null, not 0', async () => {
    const { state, sources } = fakeSources();
    const h = new StatsHistory({ ...sources, droppedViewersOf: undefined });
    state.streams = [stream('r1')];
    await h.sample(T0);
    expect(h.view().streams[0]!.droppedViewers).toBeNull();
  });

  test('a stream that ended stays until its last point leaves the window, then is dropped', async () => {
    const { state, sources } = fakeSources();
    const h = new StatsHistory(sources, { intervalMs: 2000, windowMs: 10_000 });
    state.streams = [stream('gone')];
    await h.sample(T0);
    state.streams = [];
    await h.sample(T0 + 2000);
    expect(h.view().streams.map((s) => [s.roomId, s.live, s.t.length])).toEqual([['gone', false, 1]]);
    await h.sample(T0 + 10_000); // its point is exactly 10 s old: still in
    expect(h.streamCount).toBe(1);
    await h.sample(T0 + 10_002);
    expect(h.streamCount).toBe(0);
    expect(h.view().server.t.length).toBe(3); // the server ring also keeps only the window: T0 is gone
    expect(h.view().server.t[0]).toBe(T0 / 1000 + 2);
  });

  test('memory is bounded: a long run keeps 900 points, and at most maxStreams streams', async () => {
    const { state, sources } = fakeSources();
    const h = new StatsHistory(sources, { maxStreams: 2 });
    state.streams = [stream('a')];
    await h.sample(T0);
    state.streams = [stream('b'), stream('c')]; // a ended; b takes a new place, c takes a's
    await h.sample(T0 + 2000);
    expect(h.view().streams.map((s) => s.roomId).sort()).toEqual(['b', 'c']);
    state.streams = [stream('b'), stream('c'), stream('d')]; // both places live: d goes unrecorded
    await h.sample(T0 + 4000);
    expect(h.view().streams.map((s) => s.roomId).sort()).toEqual(['b', 'c']);
    expect(h.unrecorded).toBe(1);
    for (let i = 3; i < 2000; i++) await h.sample(T0 + i * 2000);
    const v = h.view();
    expect(v.server.t.length).toBe(900);
    expect(v.streams.every((s) => s.t.length === 900)).toBe(true);
    expect(v.server.t.at(-1)! - v.server.t[0]!).toBe(1798);
  });

  test('samples on its own every interval once started, and stops', async () => {
    jest.useFakeTimers({ now: T0 });
    try {
      const { state, sources } = fakeSources();
      const h = new StatsHistory(sources);
      state.streams = [stream('r1')];
      h.start();
      await jest.advanceTimersByTimeAsync(6000);
      expect(h.view().server.t.length).toBe(3);
      h.stop();
      await jest.advanceTimersByTimeAsync(6000);
      expect(h.view().server.t.length).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
