// One co-host guest slot's media in a room (issue 15): who publishes it, its HTTP-FLV viewers and its live HLS.
// A guest's HLS is a live window only (never a replay): the plane removes its files when the guest ends.
// Nothing here changes the room's lifecycle; the owning RoomMedia asks it to act.
import type { GuestSlot } from '../../../typings/cohost';
import type { ByteSink } from '../flv/flv-fanout';
import type { HlsCache } from '../hls-output/hls-cache';
import type { HlsRecorder } from '../hls-output/hls-recorder';
import type { TagTap } from '../rtmp/types';
import { FlvViewers, type FlvViewersOptions, type FlvWatch } from './flv-viewers';

export interface GuestMediaOptions extends Omit<FlvViewersOptions, 'subscribe'> {
  /** the hub subscription of this slot's stream */
  subscribe(tap: TagTap): () => void;
}

export class GuestMedia {
  private session: string | null = null;
  private recorder: HlsRecorder | null = null;
  private detachRecorder: (() => void) | null = null;
  private readonly flv: FlvViewers;
  /** the folder of the live HLS being written, while there is one */
  private hlsDir: string | null = null;

  constructor(readonly slot: GuestSlot, private readonly o: GuestMediaOptions) {
    this.flv = new FlvViewers(o);
  }

  /** The session publishing this slot, or null. */
  get publisher(): string | null {
    return this.session;
  }

  /** `session` becomes this slot's publisher; false while another one publishes it. */
  admit(session: string): boolean {
    if (this.session !== null && this.session !== session) return false;
    this.session = session;
    return true;
  }

  /** The admitted publisher's first packets: `create` makes its live HLS in `dir`, fed from the hub. */
  started(session: string, dir: string, create: () => HlsRecorder): HlsRecorder | null {
    if (this.session !== session) return null;
    const replaced = this.endHls();
    const recorder = (this.recorder = create());
    this.hlsDir = dir;
    this.detachRecorder = this.o.subscribe({ onTag: (tag) => recorder.onTag(tag), onGopEnd: () => recorder.onGopEnd() });
    return replaced;
  }

  /** `session`'s publish ended: when it was this slot's, its HLS ends and FLV viewers go; returns the ended recorder. */
  left(session: string): { left: boolean; recorder: HlsRecorder | null } {
    if (this.session !== session) return { left: false, recorder: null };
    return { left: true, recorder: this.end() };
  }

  /** The slot is over (guest gone, room ended): FLV viewers closed, HLS ended (returned, to remove its files). */
  end(): HlsRecorder | null {
    this.session = null;
    this.flv.close();
    return this.endHls();
  }

  watchFlv(sink: ByteSink, lowLatency: boolean): FlvWatch {
    return this.flv.watch(sink, lowLatency);
  }

  get flvViewers(): number {
    return this.flv.size;
  }

  /** The live HLS cache while the guest publishes, marked as watched. */
  liveCache(now = Date.now()): HlsCache | undefined {
    const cache = this.recorder?.cache;
    if (cache) cache.lastRequestAt = now;
    return cache;
  }

  /** Where the live HLS files are, while the guest publishes (a segment no longer in memory is read from there). */
  get dir(): string | null {
    return this.recorder ? this.hlsDir : null;
  }

  /** Nothing left: no publisher, HLS or FLV viewer. */
  get idle(): boolean {
    return this.session === null && this.recorder === null && this.flv.size === 0;
  }

  private endHls(): HlsRecorder | null {
    this.detachRecorder?.();
    this.detachRecorder = null;
    const recorder = this.recorder;
    recorder?.end();
    this.recorder = null;
    return recorder;
  }
}
