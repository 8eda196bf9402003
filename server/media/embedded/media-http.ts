// What the media routes (server/api/routes/media.ts) do for the embedded plane: admission, FLV viewers, HLS.
// Live HLS comes from the recorder's in-memory cache (one Buffer per segment, shared by every viewer); replays,
// and a live segment no longer held in memory, are streamed from an open file (memory per response: one read
// chunk, paused by the client's socket), never read whole. Room admission asks RoomAdmission, not the store.
// A co-host guest's stream (`<roomId>~g1`, issue 15) plays with the room's play signature under the room's caps.
import type { Readable } from 'node:stream';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { GuestSlot } from '../../../typings/cohost';
import { DomainError, IllegalTransition, RoomNotFound } from '../../errors';
import type { Metrics } from '../../metrics';
import type { ByteSink } from '../flv/flv-fanout';
import { VOD_PLAYLIST, broadcastDir, isBroadcastId, isRoomId, segmentIndex, segmentName } from '../hls-output/hls-paths';
import type { RtmpIngest } from '../rtmp/rtmp-ingest';
import { parseStreamKey, streamKeyOf, type StreamName } from '../rtmp/stream-path';
import { assertPlaySignature, type Query } from './media-access';
import { MediaLimits, type MediaCaps } from './media-limits';
import type { AdmittedRoom, RoomAdmission } from './room-admission';
import type { RoomMedia } from './room-media';

const M3U8 = 'application/vnd.apple.mpegurl';
const TS = 'video/mp2t';

export interface MediaHttpOptions {
  secret: string;
  hlsRoot: string;
  admission: RoomAdmission;
  /** whether the room has a publisher (an FLV viewer of a room without one waits idleViewerWaitMs) */
  ingest: Pick<RtmpIngest, 'publisher'>;
  /** the room's media (made on first use): FLV fan-out, live HLS cache, counters */
  media(roomId: string): RoomMedia;
  log: Logger;
  metrics: Metrics;
  caps: MediaCaps;
  /** an HTTP-FLV viewer of a room without a publisher is closed after this long */
  idleViewerWaitMs: number;
  /** while a just-ended broadcast's last files are being written: resolves once they are (replays wait for it) */
  writing?(roomId: string, broadcastId: string): Promise<void> | undefined;
  /** the room was deleted and its files are being removed: its replays answer 404 already */
  removing?(roomId: string): boolean;
}

/** A file opened to send: streamed from `start` to `end` (inclusive), or closed unsent (HEAD, 304, 416). */
export interface OpenFile {
  stream(start: number, end: number): Readable;
  close(): void;
}

/** What a media request answers: bytes held in memory or a file, with what HTTP needs to say about them. */
export interface MediaBody {
  type: string;
  cache: string;
  size: number;
  bytes?: Buffer;
  file?: OpenFile;
  etag?: string;
  lastModified?: string;
  /** told how many body bytes went out (traffic counters) */
  sent?(bytes: number): void;
}

/** How an HTTP-FLV viewer plays: a guest slot's stream instead of the main one; every tag at once (`?latency=low`). */
export interface FlvPlay { slot?: GuestSlot | null; lowLatency?: boolean }

/** The room and slot of a live request's stream key; an unknown one is a room that does not exist. */
function streamOf(stream: string): StreamName {
  const name = parseStreamKey(stream);
  if (!name) throw new RoomNotFound(stream.slice(0, 64));
  return name;
}

const LIVE_SEGMENT_CACHE = 'public, max-age=60';

function openRoom(room: AdmittedRoom): AdmittedRoom {
  if (room.status === 'ended') throw new IllegalTransition('room_ended', `Room "${room.id}" has ended.`, { replay: null });
  return room;
}

/** A query value as a URI part: signatures and times are plain already (encodeURIComponent per playlist request adds up) */
const uriPart = (v: unknown): string => {
  const s = String(v);
  return /^[\w.~-]*$/.test(s) ? s : encodeURIComponent(s);
};
const notFound = (what: string) => new DomainError('not_found', 'not_found', `No ${what} here.`);
/** like nginx: size and modification time, enough for files that are written once */
const fileEtag = (size: number, mtimeMs: number) => `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
const httpDate = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toUTCString();

export class EmbeddedMediaHttp {
  private readonly limits: MediaLimits;

  constructor(private readonly o: MediaHttpOptions) {
    this.limits = new MediaLimits({ ...o.caps, log: o.log, metrics: o.metrics });
  }

  /** Signature, then room state: a play URL opens only a room that exists and has not ended. */
  async admitViewer(roomId: string, query: Query): Promise<AdmittedRoom> {
    return this.admitKnown(roomId, query) ?? openRoom(await this.o.admission.room(roomId));
  }

  /** admitViewer without waiting: undefined when this process does not know the room yet (then admitViewer). */
  private admitKnown(roomId: string, query: Query): AdmittedRoom | undefined {
    if (!isRoomId(roomId)) throw new RoomNotFound(roomId.slice(0, 64));
    assertPlaySignature(this.o.secret, roomId, query);
    const room = this.o.admission.peek(roomId);
    return room && openRoom(room);
  }

  /** A place for one more HTTP-FLV viewer (per address, per room, in total); call the release when it leaves. */
  reserveFlv(roomId: string, address: string): () => void {
    return this.limits.flvViewer(roomId, address);
  }

  /** A place for one more HLS or replay request from `address` while it is in flight. */
  reserveHls(roomId: string, address: string): () => void {
    return this.limits.hlsRequest(roomId, address);
  }

  /**
   * Attach an HTTP-FLV viewer; it stays until the client leaves, the publisher goes, or the room ends. A viewer
   * of a room nobody publishes to waits IDLE_VIEWER_WAIT_S for the host, then is closed.
   */
  attachFlv(roomId: string, address: string, sink: ByteSink, onGone: (cb: () => void) => void, o: FlvPlay = {}): void {
    const slot = o.slot ?? null;
    const key = streamKeyOf(roomId, slot);
    const watch = this.o.media(roomId).watchFlv(sink, { slot, lowLatency: o.lowLatency });
    const idle = this.o.ingest.publisher(key) ? null : setTimeout(() => {
      if (this.o.ingest.publisher(key) || sink.destroyed) return;
      this.limits.count('idle_viewer', { roomId, address }, 'flv viewer of a room that is not live: closed');
      watch.leave(); // no write may follow the end
      sink.end();
    }, this.o.idleViewerWaitMs);
    onGone(() => {
      if (idle) clearTimeout(idle);
      watch.leave();
    });
  }

  /**
   * The live playlist from memory, its segment URIs carrying the caller's signature so segment requests pass.
   * `stream` is a stream key: the room id, or `<roomId>~<slot>` for a guest's live window.
   */
  async livePlaylist(stream: string, query: Query, address: string): Promise<MediaBody> {
    const name = streamOf(stream);
    return this.playlistOf(await this.admitViewer(name.roomId, query), name, query, address);
  }

  /**
   * The live answers without a promise when the room is known here and (for a segment) the bytes are in memory,
   * as they are for every player at the live edge; undefined sends the caller to livePlaylist/liveSegment.
   */
  livePlaylistNow(stream: string, query: Query, address: string): MediaBody | undefined {
    const name = streamOf(stream);
    const room = this.admitKnown(name.roomId, query);
    return room && this.playlistOf(room, name, query, address);
  }

  liveSegmentNow(stream: string, file: string, query: Query, address: string): MediaBody | undefined {
    const index = segmentIndex(file);
    if (index === null) throw notFound('such file');
    const name = streamOf(stream);
    const room = this.admitKnown(name.roomId, query);
    if (!room) return undefined;
    const m = this.o.media(name.roomId);
    const seg = room.broadcastId ? this.liveCacheOf(m, room, name.slot)?.segment(index) : undefined;
    if (!seg?.body) return undefined;
    m.seenHlsClient(address);
    return { type: TS, cache: LIVE_SEGMENT_CACHE, size: seg.bytes, bytes: seg.body, etag: seg.etag, lastModified: seg.lastModified, sent: m.hlsSent };
  }

  private liveCacheOf(m: RoomMedia, room: AdmittedRoom, slot: GuestSlot | null) {
    return slot ? m.findGuest(slot)?.liveCache() : m.liveCache(room.broadcastId!);
  }

  private playlistOf(room: AdmittedRoom, { roomId, slot }: StreamName, query: Query, address: string): MediaBody {
    if (room.status !== 'live' || !room.broadcastId) throw notFound('live stream yet: the host has not started');
    const m = this.o.media(roomId);
    const text = this.liveCacheOf(m, room, slot)?.playlist(`?expires=${uriPart(query.expires)}&sign=${uriPart(query.sign)}`);
    if (!text) throw notFound('playlist yet');
    m.seenHlsClient(address);
    return { type: M3U8, cache: 'no-cache', size: text.length, bytes: text };
  }

  async liveSegment(stream: string, file: string, query: Query, address: string): Promise<MediaBody> {
    const index = segmentIndex(file);
    if (index === null) throw notFound('such file');
    const { roomId, slot } = streamOf(stream);
    const room = await this.admitViewer(roomId, query);
    if (!room.broadcastId) throw notFound('such segment');
    const m = this.o.media(roomId);
    const seg = this.liveCacheOf(m, room, slot)?.segment(index);
    const sent = m.hlsSent;
    m.seenHlsClient(address);
    const cache = LIVE_SEGMENT_CACHE;
    if (seg?.body) return { type: TS, cache, size: seg.bytes, bytes: seg.body, etag: seg.etag, lastModified: seg.lastModified, sent };
    // not in memory (nobody watched when it was made, or it left the window): its file, once in place
    await this.liveCacheOf(m, room, slot)?.whenLanded(index);
    const dir = slot ? m.findGuest(slot)?.dir : broadcastDir(this.o.hlsRoot, roomId, room.broadcastId);
    if (!dir) throw notFound('such segment');
    const opened = await this.openFile(dir, segmentName(index), 'such segment');
    return {
      type: TS, cache, size: opened.size, file: opened.file, sent,
      etag: seg?.etag ?? fileEtag(opened.size, opened.mtimeMs), lastModified: seg?.lastModified ?? httpDate(opened.mtimeMs),
    };
  }

  /** Replay files are public, like the recording of a public broadcast. */
  async replayFile(roomId: string, broadcastId: string, file: string): Promise<MediaBody> {
    if (!isRoomId(roomId) || !isBroadcastId(broadcastId) || this.o.removing?.(roomId)) throw notFound('such replay');
    const playlist = file === VOD_PLAYLIST;
    const index = playlist ? null : segmentIndex(file);
    if (!playlist && index === null) throw notFound('such file');
    await this.o.writing?.(roomId, broadcastId); // the playlist of a broadcast that just ended gets its ENDLIST first
    const dir = broadcastDir(this.o.hlsRoot, roomId, broadcastId);
    const opened = await this.openFile(dir, playlist ? VOD_PLAYLIST : segmentName(index!), 'such replay');
    const validators = { size: opened.size, file: opened.file, etag: fileEtag(opened.size, opened.mtimeMs), lastModified: httpDate(opened.mtimeMs) };
    if (playlist) return { type: M3U8, cache: 'no-cache', ...validators };
    return { type: TS, cache: 'public, max-age=86400', ...validators, sent: (n) => this.o.metrics.addBytesOut('hls', n) };
  }

  /** Opens a file to send under FILE_STREAMS_MAX; the slot is held until its stream closes or it is closed unsent. */
  private async openFile(dir: string, file: string, what: string): Promise<{ size: number; mtimeMs: number; file: OpenFile }> {
    const slot = this.limits.fileStream(file);
    let released = false;
    const release = () => {
      if (!released) slot();
      released = true;
    };
    let handle: FileHandle | undefined;
    try {
      handle = await open(join(dir, file), 'r');
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error('not a file');
      const h = handle;
      return {
        size: stat.size, mtimeMs: stat.mtimeMs,
        file: {
          stream: (start, end) => {
            // 64 KiB chunks; closes the handle when it ends or is destroyed (Koa destroys it if the client leaves)
            const stream = h.createReadStream(stat.size > 0 ? { start, end } : {});
            stream.once('close', release);
            return stream;
          },
          close: () => {
            h.close().catch(() => undefined);
            release();
          },
        },
      };
    } catch {
      await handle?.close().catch(() => undefined);
      release();
      throw notFound(what);
    }
  }
}
