// In-process history of the server's and every live stream's figures: sampled every 2 s into ring buffers of the
// last 30 minutes, served by GET /api/admin/stats/history for the admin console's charts. Memory is bounded:
// 900 points per series, at most `maxStreams` streams; a stream that ended is forgotten once its last point
// leaves the window (or sooner, when a new stream needs its place).
import type { ServerHistory, StatsHistoryResponse, StreamHistory, StreamStats } from '../../typings/api';
import { CpuMeter, NODE_PROCESS, type ProcessProbe } from './process-usage';
import { SeriesRing } from './series-ring';

/** What the history reads: the few things it needs of the media plane and the listeners. */
export interface HistorySources {
  /** the media plane's current figures (StatsSource.snapshot) */
  snapshot(): { streams: StreamStats[]; totals: { bitrateOut: number } };
  /** open HTTP connections */
  httpConnections(): number;
  /** slow viewers dropped since start, server-wide (a counter) */
  droppedViewers?(): number | Promise<number>;
  /** the same for one stream, when the media plane counts them per stream */
  droppedViewersOf?(roomId: string): number;
  /** CPU and memory of the process (tests pass a fake) */
  process?: ProcessProbe;
}

export interface StatsHistoryOptions {
  /** between two samples (2 s) */
  intervalMs?: number;
  /** how far back points are kept (30 min) */
  windowMs?: number;
  /** streams held at once (64); past it an ended stream makes room, or a new stream goes unrecorded */
  maxStreams?: number;
  onError?(err: unknown): void;
}

/** Read side, for the admin route. */
export interface StatsHistoryView {
  view(roomId?: string): StatsHistoryResponse;
}

export const HISTORY_INTERVAL_MS = 2000;
export const HISTORY_WINDOW_MS = 30 * 60 * 1000;
export const HISTORY_MAX_STREAMS = 64;

const SERVER_KEYS = ['cpuPercent', 'rssBytes', 'bytesOutPerS', 'httpConnections', 'rtmpConnections', 'droppedViewers'] as const;
const STREAM_KEYS = ['bitrateIn', 'fps', 'flv', 'rtmp', 'hls', 'dropped'] as const;
type StreamKey = (typeof STREAM_KEYS)[number];

interface StreamTrack {
  ring: SeriesRing<StreamKey>;
  live: boolean;
  /** the plane's per-stream drop counter at the previous sample */
  lastDropped: number;
}

export class StatsHistory implements StatsHistoryView {
  readonly intervalMs: number;
  readonly windowMs: number;
  readonly maxStreams: number;
  /** points per series */
  readonly capacity: number;
  private readonly server: SeriesRing<(typeof SERVER_KEYS)[number]>;
  private readonly streams = new Map<string, StreamTrack>();
  private readonly probe: ProcessProbe;
  private cpu: CpuMeter | null = null;
  private lastDropped: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sampling = false;
  private readonly onError: (err: unknown) => void;
  /** new streams not recorded because maxStreams live ones were held */
  unrecorded = 0;

  constructor(private readonly sources: HistorySources, opts: StatsHistoryOptions = {}) {
    this.intervalMs = opts.intervalMs ?? HISTORY_INTERVAL_MS;
    this.windowMs = opts.windowMs ?? HISTORY_WINDOW_MS;
    this.maxStreams = opts.maxStreams ?? HISTORY_MAX_STREAMS;
    this.capacity = Math.ceil(this.windowMs / this.intervalMs);
    this.server = new SeriesRing(this.capacity, SERVER_KEYS);
    this.probe = sources.process ?? NODE_PROCESS;
    this.onError = opts.onError ?? (() => {});
  }

  /** Samples every intervalMs until stop(); the first point comes one interval after start. */
  start(now = Date.now()): void {
    if (this.timer) return;
    this.cpu = new CpuMeter(this.probe, now);
    this.timer = setInterval(() => {
      if (this.sampling) return; // a slow sample is never stacked under the next
      this.sampling = true;
      this.sample().catch(this.onError).finally(() => { this.sampling = false; });
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One point for the server and each stream the plane holds. */
  async sample(now = Date.now()): Promise<void> {
    this.cpu ??= new CpuMeter(this.probe, now - this.intervalMs);
    const snap = this.sources.snapshot();
    const droppedTotal = this.sources.droppedViewers ? await this.sources.droppedViewers() : 0;
    const t = now / 1000;
    const rtmp = snap.streams.reduce((n, s) => n + (s.publisher ? 1 : 0) + s.viewers.rtmp, 0);
    this.server.push(t, {
      cpuPercent: round(this.cpu.percent(now), 1),
      rssBytes: this.probe.rssBytes(),
      bytesOutPerS: Math.round(snap.totals.bitrateOut / 8),
      httpConnections: this.sources.httpConnections(),
      rtmpConnections: rtmp,
      droppedViewers: Math.max(0, droppedTotal - (this.lastDropped ?? droppedTotal)),
    });
    this.lastDropped = droppedTotal;

    // streams gone from the plane are marked first, so a newcomer may take the place of one that just ended
    const seen = new Set(snap.streams.map((s) => s.roomId));
    for (const [id, track] of this.streams) track.live = seen.has(id);
    for (const s of snap.streams) {
      const track = this.streams.get(s.roomId) ?? this.track(s.roomId);
      if (!track) continue;
      track.live = true;
      const dropped = this.sources.droppedViewersOf?.(s.roomId) ?? 0;
      track.ring.push(t, {
        bitrateIn: Math.round(s.bitrateIn),
        fps: round(s.video?.fps ?? 0, 2),
        flv: s.viewers.flv,
        rtmp: s.viewers.rtmp,
        hls: s.viewers.hls,
        dropped: Math.max(0, dropped - track.lastDropped),
      });
      track.lastDropped = dropped;
    }
    const since = t - this.windowMs / 1000;
    this.server.dropBefore(since);
    for (const [id, track] of this.streams) {
      track.ring.dropBefore(since);
      if (track.ring.length === 0) this.streams.delete(id);
    }
  }

  view(roomId?: string): StatsHistoryResponse {
    const ids = roomId === undefined ? [...this.streams.keys()] : this.streams.has(roomId) ? [roomId] : [];
    const streams = ids.map((id) => this.streamView(id, this.streams.get(id)!))
      .sort((a, b) => Number(b.live) - Number(a.live) || (b.t.at(-1) ?? 0) - (a.t.at(-1) ?? 0));
    return {
      intervalS: this.intervalMs / 1000,
      windowS: this.windowMs / 1000,
      server: this.server.columns() satisfies ServerHistory,
      streams,
    };
  }

  /** streams held now (for tests and the bound) */
  get streamCount(): number {
    return this.streams.size;
  }

  /** A new stream's track; when full, the ended stream seen longest ago makes room, else none is made. */
  private track(roomId: string): StreamTrack | null {
    if (this.streams.size >= this.maxStreams) {
      let victim: [string, number] | null = null;
      for (const [id, tr] of this.streams) {
        const last = tr.ring.lastT ?? 0;
        if (!tr.live && (!victim || last < victim[1])) victim = [id, last];
      }
      if (!victim) {
        this.unrecorded++;
        return null;
      }
      this.streams.delete(victim[0]);
    }
    const track: StreamTrack = { ring: new SeriesRing(this.capacity, STREAM_KEYS), live: true, lastDropped: this.sources.droppedViewersOf?.(roomId) ?? 0 };
    this.streams.set(roomId, track);
    return track;
  }

  private streamView(roomId: string, track: StreamTrack): StreamHistory {
    const c = track.ring.columns();
    return {
      roomId,
      live: track.live,
      t: c.t,
      bitrateIn: c.bitrateIn,
      fps: c.fps,
      viewers: { flv: c.flv, rtmp: c.rtmp, hls: c.hls },
      droppedViewers: this.sources.droppedViewersOf ? c.dropped : null,
    };
  }
}

/** The history of a server that records none (a test app without the sampler). */
export const NO_HISTORY: StatsHistoryView = {
  view: () => ({
    intervalS: HISTORY_INTERVAL_MS / 1000,
    windowS: HISTORY_WINDOW_MS / 1000,
    server: { t: [], cpuPercent: [], rssBytes: [], bytesOutPerS: [], httpConnections: [], rtmpConnections: [], droppedViewers: [] },
    streams: [],
  }),
};

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
