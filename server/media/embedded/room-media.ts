// One room's media in this process, owned in one place: who publishes it, its HLS recorder, its HTTP-FLV
// fan-out, its co-host guests' media (issue 15: each slot's publisher, FLV and live HLS), its recent HLS clients (by address: a header such as User-Agent is the client's to invent) and its
// byte counters. The plane and the HTTP side ask it to act; none of its state is written from outside.
import type { GuestSlot } from '../../../typings/cohost';
import type { ByteSink } from '../flv/flv-fanout';
import type { HlsCache } from '../hls-output/hls-cache';
import type { HlsRecorder } from '../hls-output/hls-recorder';
import { streamKeyOf } from '../rtmp/stream-path';
import type { TagTap } from '../rtmp/types';
import { FlvViewers, type FlvViewersOptions, type FlvWatch } from './flv-viewers';
import { GuestMedia } from './guest-media';

export type { FlvWatch } from './flv-viewers';

/** An HLS client counts as watching while it fetched something this recently. */
export const HLS_CLIENT_WINDOW_MS = 15_000;
/** Addresses remembered per room: a flood from many addresses (an IPv6 range) saturates the count, not memory. */
export const MAX_HLS_CLIENTS = 100_000;

export type OutProtocol = 'flv' | 'hls';

/** What a room's media needs from the stream hub (the RTMP ingest; a fake in tests). */
export interface RoomMediaHub {
  /** `key`: the room id for its main stream, `<roomId>~<slot>` for a guest's (stream-path.ts) */
  subscribe(key: string, tap: TagTap): () => void;
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

/** Which of the room's streams an HTTP-FLV viewer watches, and how. */
export interface FlvWatchOptions { slot?: GuestSlot | null; lowLatency?: boolean }

export class RoomMedia {
  private recorder: HlsRecorder | null = null;
  private detachRecorder: (() => void) | null = null;
  /** the RTMP session admitted as this room's publisher, while connected */
  private publisherSession: string | null = null;
  private admitted: AdmittedBroadcast | null = null;
  /** the main stream's HTTP-FLV viewers */
  private readonly flv: FlvViewers;
  private readonly guests = new Map<GuestSlot, GuestMedia>();
  private readonly hlsClients = new Map<string, number>();
  private readonly out = { flv: 0, hls: 0 };
  private dropped = 0;

  constructor(readonly roomId: string, private readonly o: RoomMediaOptions) {
    this.flv = new FlvViewers(this.flvOptions(null));
  }

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
    this.detachRecorder = this.o.hub.subscribe(this.roomId, { onTag: (tag) => recorder.onTag(tag), onGopEnd: () => recorder.onGopEnd() });
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

  /** Adds an HTTP-FLV viewer of the main stream or of a guest slot; each stream's fan-out is made for its first one. */
  watchFlv(sink: ByteSink, o: FlvWatchOptions = {}): FlvWatch {
    return o.slot ? this.guest(o.slot).watchFlv(sink, !!o.lowLatency) : this.flv.watch(sink, !!o.lowLatency);
  }

  /** Closes the main stream's FLV viewers (guests' go with their own publisher). */
  closeFlvViewers(): void {
    this.flv.close();
  }

  /** HTTP-FLV viewers of the room: its main stream and its guests' (per-room caps and counts include them). */
  get flvViewers(): number {
    let n = this.flv.size;
    for (const g of this.guests.values()) n += g.flvViewers;
    return n;
  }

  /** A guest slot's media, made on first use. */
  guest(slot: GuestSlot): GuestMedia {
    let g = this.guests.get(slot);
    if (!g) this.guests.set(slot, (g = new GuestMedia(slot, this.flvOptions(slot))));
    return g;
  }

  findGuest(slot: GuestSlot): GuestMedia | undefined {
    return this.guests.get(slot);
  }

  /** Slots with a guest publisher now. */
  guestPublishers(): GuestSlot[] {
    return [...this.guests.values()].filter((g) => g.publisher !== null).map((g) => g.slot);
  }

  /** A guest slot is over: its publisher forgotten, viewers closed; returns its ended live HLS (to remove its files). */
  endGuest(slot: GuestSlot): HlsRecorder | null {
    const g = this.guests.get(slot);
    if (!g) return null;
    this.guests.delete(slot);
    return g.end();
  }

  /** Every guest is over (room ended, server stopping): their ended live HLS recorders. */
  endGuests(): HlsRecorder[] {
    return [...this.guests.keys()].map((slot) => this.endGuest(slot)).filter((r): r is HlsRecorder => r !== null);
  }

  /** Bytes sent to this room's HTTP viewers. */
  /** HLS bytes sent, as a callback made once rather than per response */
  readonly hlsSent = (n: number): void => this.countOut('hls', n);

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
    for (const [slot, g] of this.guests) if (g.idle) this.guests.delete(slot);
    return !this.recorder && !this.publisherSession && this.guests.size === 0 && this.flvViewers === 0 && this.hlsViewers(now) === 0;
  }

  private flvOptions(slot: GuestSlot | null): FlvViewersOptions {
    const { flv, hub } = this.o;
    const key = streamKeyOf(this.roomId, slot);
    return {
      subscribe: (tap: TagTap) => hub.subscribe(key, tap),
      mergeMs: flv.mergeMs,
      maxBufferedBytes: flv.maxBufferedBytes,
      onBytes: (n: number) => this.countOut('flv', n),
      onSlow: (buffered: number) => {
        this.dropped++;
        flv.onSlow(this.roomId, buffered);
      },
    };
  }

  private detach(): void {
    this.detachRecorder?.();
    this.detachRecorder = null;
  }
}
