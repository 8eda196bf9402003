// Per-room media state in this process: the HLS recorder, FLV viewers, recent HLS clients (by address: a
// header such as User-Agent is the client's to invent), byte counters.
import type { HlsRecorder } from '../hls-output/hls-recorder';
import type { FlvFanout } from '../flv/flv-fanout';

/** An HLS client counts as watching while it fetched something this recently. */
export const HLS_CLIENT_WINDOW_MS = 15_000;
/** Addresses remembered per room: a flood from many addresses (an IPv6 range) saturates the count, not memory. */
export const MAX_HLS_CLIENTS = 100_000;

export class RoomMedia {
  recorder: HlsRecorder | null = null;
  /** the RTMP session admitted as this room's publisher, while connected */
  publisherSession: string | null = null;
  detachRecorder: (() => void) | null = null;
  /** the room's HTTP-FLV fan-out while anyone watches over HTTP-FLV */
  flv: FlvFanout | null = null;
  private readonly hlsClients = new Map<string, number>();
  flvBytesOut = 0;
  hlsBytesOut = 0;

  constructor(readonly roomId: string) {}

  seenHlsClient(key: string, now = Date.now()): void {
    if (this.hlsClients.size >= MAX_HLS_CLIENTS && !this.hlsClients.has(key)) return;
    this.hlsClients.set(key, now);
  }

  hlsViewers(now = Date.now()): number {
    let n = 0;
    for (const [key, at] of this.hlsClients) {
      if (now - at <= HLS_CLIENT_WINDOW_MS) n++;
      else this.hlsClients.delete(key);
    }
    return n;
  }

  closeFlvViewers(): void {
    this.flv?.close();
    this.flv = null;
  }

  get flvViewers(): number {
    return this.flv?.size ?? 0;
  }

  /** Detaches the recorder and ends (`final`) or pauses it; returns it, so its last writes can be waited for. */
  stopRecorder(final: boolean): HlsRecorder | null {
    this.detachRecorder?.();
    this.detachRecorder = null;
    const recorder = this.recorder;
    if (final) {
      recorder?.end();
      this.recorder = null;
    } else {
      recorder?.pause();
    }
    return recorder;
  }
}
