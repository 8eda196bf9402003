// One room's media in this process, owned in one place: who publishes it, its HLS recorder, its HTTP-FLV
// fan-out, its recent HLS clients (by address: a header such as User-Agent is the client's to invent) and its
// byte counters. The plane and the HTTP side ask it to act; none of its state is written from outside.
import { FlvFanout, type ByteSink } from '../flv/flv-fanout';
import type { HlsCache } from '../hls-output/hls-cache';
import type { HlsRecorder } from '../hls-output/hls-recorder';
import type { TagTap } from '../rtmp/types';

/** An HLS client counts as watching while it fetched something this recently. */
export const HLS_CLIENT_WINDOW_MS = 15_000;
/** Addresses remembered per room: a flood from many addresses (an IPv6 range) saturates the count, not memory. */
export const MAX_HLS_CLIENTS = 100_000;

export type OutProtocol = 'flv' | 'hls';

/** What a room's media needs from the stream hub (the RTMP ingest; a fake in tests). */
export interface RoomMediaHub {
  subscribe(roomId: string, tap: TagTap): () => void;
}

export interface RoomMediaOptions {
  hub: RoomMediaHub;
  /** HTTP-FLV fan-out settings: merge window, and the backlog that drops a slow viewer */
  flv: { mergeMs: number; maxBufferedBytes: number; onSlow(roomId: string, bufferedBytes: number): void };
  /** every byte this room sends over HTTP, for the plane's totals and Prometheus */
  onBytesOut?(protocol: OutProtocol, bytes: number): void;
}

/** The broadcast a publisher records: the live one it resumes within the grace, or a new one. */
export interface AdmittedBroadcast { id: string; resumes: boolean }

/** An HTTP-FLV viewer's place in the room's fan-out; `leave` is safe to call more than once. */
export interface FlvWatch { leave(): void }

export class RoomMedia {
  private recorder: HlsRecorder | null = null;
  private detachRecorder: (() => void) | null = null;
  /** the RTMP session admitted as this room's publisher, while connected */
  private publisherSession: string | null = null;
  private admitted: AdmittedBroadcast | null = null;
  /** the room's HTTP-FLV fan-out while anyone watches over HTTP-FLV */
  private flv: FlvFanout | null = null;
  private readonly hlsClients = new Map<string, number>();
  private readonly out = { flv: 0, hls: 0 };
  private dropped = 0;

  constructor(readonly roomId: string, private readonly o: RoomMediaOptions) {}

  /** The session publishing to this room, or null. */
  get publisher(): string | null {
    return this.publisherSession;
  }

  /** Another session than `session` publishes to this room (one publisher per room). */
  busyFor(session: string): boolean {
    return this.publisherSession !== null && this.publisherSession !== session;
  }

  /**
   * `session` becomes the room's publisher, to record `broadcast` (the room's live one it resumes, or a new one);
   * false when another session already publishes.
   */
  admitPublisher(session: string, broadcast: AdmittedBroadcast): boolean {
    if (this.busyFor(session)) return false;
    this.publisherSession = session;
    this.admitted = broadcast;
    return true;
  }

  /** The broadcast `session` was admitted to record, while it is this room's publisher. */
  admittedBroadcast(session: string): AdmittedBroadcast | null {
    return this.publisherSession === session ? this.admitted : null;
  }

  /** The recorder of `broadcastId` is being fed now. */
  records(broadcastId: string | null): boolean {
    return this.detachRecorder !== null && this.recorder !== null && this.recorder.cache.broadcastId === broadcastId;
  }

  /**
   * `session`'s publish ended. True when it was this room's publisher: the recording pauses (the segment in
   * progress is closed) and FLV viewers are let go at once; the caller starts the grace. False for a refused
   * second publisher, which changes nothing.
   */
  publisherLeft(session: string): boolean {
    if (this.publisherSession !== session) return false;
    this.publisherSession = null;
    this.publisherGone();
    return true;
  }

  /** No publisher now (its publish ended here, or the room says so): pause the recording, close FLV viewers. */
  publisherGone(): void {
    this.pauseRecording();
    this.closeFlvViewers();
  }

  /**
   * The room is live: a resumed broadcast continues its recorder after a discontinuity; otherwise `create` makes
   * the broadcast's recorder. Either way it is fed from the hub. Returns the recorder it replaced (ended), if any,
   * so its last writes can be waited for.
   */
  startRecording(resumed: boolean, create: () => HlsRecorder): HlsRecorder | null {
    let replaced: HlsRecorder | null = null;
    if (this.recorder && resumed) this.recorder.resume();
    else {
      replaced = this.endRecording();
      this.recorder = create();
    }
    const recorder = this.recorder;
    this.detachRecorder?.();
    this.detachRecorder = this.o.hub.subscribe(this.roomId, { onTag: (tag) => recorder.onTag(tag) });
    return replaced;
  }

  /** The publisher is away: the recorder stops being fed and closes its open segment; it may resume. */
  pauseRecording(): HlsRecorder | null {
    this.detach();
    this.recorder?.pause();
    return this.recorder;
  }

  /** The broadcast is over: the recorder writes its last segment and ENDLIST; returned, to wait for its writes. */
  endRecording(): HlsRecorder | null {
    this.detach();
    const recorder = this.recorder;
    recorder?.end();
    this.recorder = null;
    return recorder;
  }

  /** The room ended: recording finished, FLV viewers closed, publisher forgotten. Returns the ended recorder. */
  end(): HlsRecorder | null {
    this.closeFlvViewers();
    this.publisherSession = null;
    return this.endRecording();
  }

  /** The live cache of broadcast `broadcastId` while it is this room's recording, marked as watched. */
  liveCache(broadcastId: string, now = Date.now()): HlsCache | undefined {
    const cache = this.recorder?.cache;
    if (!cache || cache.broadcastId !== broadcastId) return undefined;
    cache.lastRequestAt = now;
    return cache;
  }

  /** Adds an HTTP-FLV viewer; the room's fan-out (one hub subscription) is made for the first one. */
  watchFlv(sink: ByteSink): FlvWatch {
    if (!this.flv) {
      const { flv } = this.o;
      const fanout = new FlvFanout({
        mergeMs: flv.mergeMs,
        maxBufferedBytes: flv.maxBufferedBytes,
        onBytes: (n) => this.countOut('flv', n),
        onSlow: (buffered) => {
          this.dropped++;
          flv.onSlow(this.roomId, buffered);
        },
      });
      fanout.attached(this.o.hub.subscribe(this.roomId, fanout));
      this.flv = fanout;
    }
    const fanout = this.flv;
    fanout.join(sink);
    return {
      // the last viewer out closes the fan-out, unless it was already replaced (publisher gone, room ended)
      leave: () => {
        if (fanout.leave(sink) === 0 && this.flv === fanout) this.closeFlvViewers();
      },
    };
  }

  closeFlvViewers(): void {
    this.flv?.close();
    this.flv = null;
  }

  get flvViewers(): number {
    return this.flv?.size ?? 0;
  }

  /** Bytes sent to this room's HTTP viewers. */
  countOut(protocol: OutProtocol, n: number): void {
    this.out[protocol] += n;
    this.o.onBytesOut?.(protocol, n);
  }

  /** HTTP-FLV viewers dropped for falling too far behind, since this room's media was set up here. */
  get droppedViewers(): number {
    return this.dropped;
  }

  /** HTTP bytes sent for this room so far (FLV and HLS). */
  get bytesOut(): number {
    return this.out.flv + this.out.hls;
  }

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

  /** Nothing left here: no recorder, publisher or HTTP viewer (the RTMP side is asked separately). */
  idle(now = Date.now()): boolean {
    return !this.recorder && !this.publisherSession && this.flvViewers === 0 && this.hlsViewers(now) === 0;
  }

  private detach(): void {
    this.detachRecorder?.();
    this.detachRecorder = null;
  }
}
