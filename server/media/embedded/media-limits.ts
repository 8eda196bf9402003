// What one HTTP media client may hold (README "Limits"): FLV viewers per address, per room and in total,
// HLS/replay requests in flight per address, files being sent at once. Each holder gets a release to
// call when its response closes; a refusal is logged at warn, counted by reason and answers 429.
import type { Logger } from 'pino';
import { RateLimited } from '../../errors';
import { KeyedCount } from '../../limits/keyed-count';
import type { Metrics } from '../../metrics';

/** The caps, from FLV_MAX_PER_IP, FLV_MAX_PER_ROOM, FLV_MAX_VIEWERS, HLS_MAX_PER_IP, FILE_STREAMS_MAX. */
export interface MediaCaps {
  flvPerIp: number;
  flvPerRoom: number;
  flvTotal: number;
  hlsPerIp: number;
  fileStreams: number;
}

export interface MediaLimitsOptions extends MediaCaps {
  log: Logger;
  metrics: Metrics;
}

type Release = () => void;

const ALL = 'all';

export class MediaLimits {
  private readonly flvByIp: KeyedCount;
  private readonly flvByRoom: KeyedCount;
  private readonly flvAll: KeyedCount;
  private readonly hlsByIp: KeyedCount;
  private readonly files: KeyedCount;

  constructor(private readonly o: MediaLimitsOptions) {
    this.flvByIp = new KeyedCount(o.flvPerIp);
    this.flvByRoom = new KeyedCount(o.flvPerRoom);
    this.flvAll = new KeyedCount(o.flvTotal);
    this.hlsByIp = new KeyedCount(o.hlsPerIp);
    this.files = new KeyedCount(o.fileStreams);
  }

  /** One HTTP-FLV viewer of `roomId` from `address`, or a RateLimited naming the cap it hit. */
  flvViewer(roomId: string, address: string): Release {
    const byIp = this.flvByIp.acquire(address);
    if (!byIp) throw this.refuse('flv_per_ip', { roomId, address }, `This address already watches ${this.o.flvPerIp} HTTP-FLV streams.`, 5);
    const byRoom = this.flvByRoom.acquire(roomId);
    if (!byRoom) {
      byIp();
      throw this.refuse('flv_per_room', { roomId, address }, `This room has its maximum of ${this.o.flvPerRoom} HTTP-FLV viewers; try HLS.`, 5);
    }
    const all = this.flvAll.acquire(ALL);
    if (!all) {
      byIp();
      byRoom();
      throw this.refuse('flv_viewers', { roomId, address }, 'The server has its maximum of HTTP-FLV viewers; try HLS.', 5);
    }
    return () => { all(); byRoom(); byIp(); };
  }

  /** One HLS or replay request in flight from `address`. */
  hlsRequest(address: string): Release {
    const release = this.hlsByIp.acquire(address);
    if (!release) throw this.refuse('hls_per_ip', { address }, `This address has ${this.o.hlsPerIp} HLS requests in flight; retry in a second.`, 1);
    return release;
  }

  /** One segment or replay file being sent. */
  fileStream(file: string): Release {
    const release = this.files.acquire(ALL);
    if (!release) throw this.refuse('file_streams', { file }, 'Too many files are being sent right now; retry in a second.', 1);
    return release;
  }

  /** Log and count a closing the caps decided on elsewhere (e.g. an idle viewer). */
  count(reason: string, context: Record<string, unknown>, msg: string): void {
    this.o.metrics.limitRefusals.inc({ reason });
    this.o.log.warn({ reason, ...context }, msg);
  }

  private refuse(reason: string, context: Record<string, unknown>, message: string, retryAfterS: number): RateLimited {
    this.count(reason, context, 'media request refused by a limit');
    return new RateLimited(message, reason, retryAfterS);
  }
}
