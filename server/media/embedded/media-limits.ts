// What one HTTP media client may hold (README "Limits"): FLV viewers per address, per room and in total,
// HLS/replay requests in flight per address, files being sent at once. Each holder gets a release to
// call when its response closes; a refusal is logged at warn, counted by reason and answers 429.
import type { Logger } from 'pino';
import { RateLimited } from '../../errors';
import { KeyedCount } from '../../limits/keyed-count';
import type { Metrics } from '../../metrics';

/** The caps, from FLV_MAX_PER_IP, FLV_MAX_PER_ROOM, FLV_MAX_VIEWERS, HLS_MAX_PER_IP, HLS_MAX_PER_ROOM, HLS_MAX_REQUESTS, FILE_STREAMS_MAX. */
export interface MediaCaps {
  flvPerIp: number;
  flvPerRoom: number;
  flvTotal: number;
  hlsPerIp: number;
  hlsPerRoom: number;
  hlsTotal: number;
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
  private readonly hlsByRoom: KeyedCount;
  private readonly hlsAll: KeyedCount;
  private readonly files: KeyedCount;
  private readonly hlsRefusals: Record<string, string>;

  constructor(private readonly o: MediaLimitsOptions) {
    this.flvByIp = new KeyedCount(o.flvPerIp);
    this.flvByRoom = new KeyedCount(o.flvPerRoom);
    this.flvAll = new KeyedCount(o.flvTotal);
    this.hlsByIp = new KeyedCount(o.hlsPerIp);
    this.hlsByRoom = new KeyedCount(o.hlsPerRoom);
    this.hlsAll = new KeyedCount(o.hlsTotal);
    this.files = new KeyedCount(o.fileStreams);
    this.hlsRefusals = {
      hls_per_ip: `This address has ${o.hlsPerIp} HLS requests in flight; retry in a second.`,
      hls_per_room: `This room has ${o.hlsPerRoom} HLS requests in flight; retry in a second.`,
      hls_requests: 'The server has its maximum of HLS requests in flight; retry in a second.',
    };
  }

  /** One HTTP-FLV viewer of `roomId` from `address`, or a RateLimited naming the cap it hit. */
  flvViewer(roomId: string, address: string): Release {
    return this.acquireAll([
      [this.flvByIp, address, 'flv_per_ip', `This address already watches ${this.o.flvPerIp} HTTP-FLV streams.`],
      [this.flvByRoom, roomId, 'flv_per_room', `This room has its maximum of ${this.o.flvPerRoom} HTTP-FLV viewers; try HLS.`],
      [this.flvAll, ALL, 'flv_viewers', 'The server has its maximum of HTTP-FLV viewers; try HLS.'],
    ], { roomId, address }, 5);
  }

  /**
   * One HLS or replay request of `roomId` in flight from `address`. Every player asks twice a second or so, so this
   * takes its three places with one release and no garbage beyond it (bench (e)).
   */
  hlsRequest(roomId: string, address: string): Release {
    const { hlsByIp, hlsByRoom, hlsAll } = this;
    let refused: string | null = null;
    if (!hlsByIp.add(address)) refused = 'hls_per_ip';
    else if (!hlsByRoom.add(roomId)) {
      hlsByIp.remove(address);
      refused = 'hls_per_room';
    } else if (!hlsAll.add(ALL)) {
      hlsByIp.remove(address);
      hlsByRoom.remove(roomId);
      refused = 'hls_requests';
    }
    if (refused) throw this.refuse(refused, { roomId, address }, this.hlsRefusals[refused]!, 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      hlsByIp.remove(address);
      hlsByRoom.remove(roomId);
      hlsAll.remove(ALL);
    };
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

  /** Every place of `caps` in order, or none: a refusal gives back what it took and names the cap that was full. */
  private acquireAll(caps: [KeyedCount, string, string, string][], context: Record<string, unknown>, retryAfterS: number): Release {
    const held: Release[] = [];
    for (const [count, key, reason, message] of caps) {
      const release = count.acquire(key);
      if (!release) {
        for (const h of held) h();
        throw this.refuse(reason, context, message, retryAfterS);
      }
      held.push(release);
    }
    return () => { for (const h of held) h(); };
  }

  private refuse(reason: string, context: Record<string, unknown>, message: string, retryAfterS: number): RateLimited {
    this.count(reason, context, 'media request refused by a limit');
    return new RateLimited(message, reason, retryAfterS);
  }
}
