// The embedded plane's numbers: per-stream stats for the API, the admin snapshot, and the one once-a-second
// sampler of the plane (idle rooms dropped, byte counters turned into rates and Prometheus gauges).
import type { StreamStats } from '../../../typings/api';
import type { StatsSource } from '../plane';
import type { Metrics } from '../../metrics';
import type { RtmpIngest } from '../rtmp/rtmp-ingest';
import { parseStreamKey, streamKeyOf } from '../rtmp/stream-path';
import { RateMeter } from './rate-meter';
import type { RoomMediaTable } from './room-media-table';

export class PlaneStats implements StatsSource {
  private readonly rateOut = new RateMeter();
  private readonly lastBytesIn = new Map<string, number>();
  /** HTTP bytes sent (FLV and HLS), for the outgoing rate */
  private bytesOutTotal = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly media: RoomMediaTable, private readonly ingest: Pick<RtmpIngest, 'publisher' | 'rtmpViewers' | 'bytesOut'>, private readonly metrics: Metrics) {}

  /** Sample once a second until stop(). */
  start(everyMs = 1000): void {
    this.timer ??= setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** HTTP bytes sent to viewers (FLV and HLS), for the outgoing rate. */
  countOut(n: number): void {
    this.bytesOutTotal += n;
  }

  /** Viewers of the room dropped as too slow so far (a counter: the charts chart its increase). */
  droppedViewers(roomId: string): number {
    return this.media.find(roomId)?.droppedViewers ?? 0;
  }

  viewerCounts(roomId: string): StreamStats['viewers'] {
    const m = this.media.find(roomId);
    const flv = m?.flvViewers ?? 0;
    const hls = m?.hlsViewers() ?? 0;
    const rtmp = this.ingest.rtmpViewers(roomId);
    return { flv, rtmp, hls, total: flv + rtmp + hls };
  }

  stream(roomId: string): StreamStats | null {
    const m = this.media.find(roomId);
    const pub = this.ingest.publisher(roomId);
    if (!m && !pub) return null;
    return {
      roomId,
      publisher: pub ? { address: pub.address, since: new Date(pub.since).toISOString() } : null,
      video: pub?.video ?? null,
      audio: pub?.audio ?? null,
      bitrateIn: pub?.bitrateIn ?? 0, // the ingest samples every publisher's input once a second already
      viewers: this.viewerCounts(roomId),
      bytesIn: pub?.bytesIn ?? 0,
      bytesOut: (m?.bytesOut ?? 0) + this.ingest.bytesOut(roomId),
    };
  }

  snapshot(): ReturnType<StatsSource['snapshot']> {
    const streams = [...this.media.ids()].map((id) => this.stream(id)).filter((s): s is StreamStats => s !== null);
    const sum = (f: (s: StreamStats) => number) => streams.reduce((a, s) => a + f(s), 0);
    return {
      streams,
      totals: {
        streams: streams.length,
        publishers: streams.filter((s) => s.publisher).length,
        viewers: sum((s) => s.viewers.total),
        bytesIn: sum((s) => s.bytesIn),
        bytesOut: sum((s) => s.bytesOut),
        bitrateIn: sum((s) => s.bitrateIn),
        bitrateOut: this.rateOut.bitsPerSecond,
      },
    };
  }

  /** Once a second: rooms with nothing left are dropped, then rates and Prometheus gauges. */
  sample(now = Date.now()): void {
    const { metrics } = this;
    this.media.forgetIdle(now);
    for (const key of this.lastBytesIn.keys()) {
      const name = parseStreamKey(key);
      const m = name && this.media.find(name.roomId);
      if (!m || (name.slot && !m.findGuest(name.slot))) this.lastBytesIn.delete(key);
    }
    let streams = 0;
    const viewers = { flv: 0, rtmp: 0, hls: 0 };
    let rtmpOut = 0;
    for (const id of this.media.ids()) {
      const pub = this.ingest.publisher(id);
      if (pub) {
        streams++;
        metrics.bytesIn.inc(Math.max(0, pub.bytesIn - (this.lastBytesIn.get(id) ?? 0)));
        this.lastBytesIn.set(id, pub.bytesIn);
      }
      // co-host guests' input counts in the totals (keyed by stream; their viewers are in the room's already)
      for (const slot of this.media.find(id)?.guestPublishers() ?? []) {
        const key = streamKeyOf(id, slot);
        const bytesIn = this.ingest.publisher(key)?.bytesIn ?? 0;
        metrics.bytesIn.inc(Math.max(0, bytesIn - (this.lastBytesIn.get(key) ?? 0)));
        this.lastBytesIn.set(key, bytesIn);
      }
      const v = this.viewerCounts(id);
      viewers.flv += v.flv; viewers.rtmp += v.rtmp; viewers.hls += v.hls;
      rtmpOut += this.ingest.bytesOut(id);
    }
    metrics.streams.set(streams);
    for (const [protocol, n] of Object.entries(viewers)) metrics.viewers.set({ protocol }, n);
    this.rateOut.sample(this.bytesOutTotal + rtmpOut);
  }
}
