// What the media routes (server/api/routes/media.ts) do for the embedded plane: admission, FLV viewers, HLS files.
// Segment and replay files are streamed from an open file (memory per response: one read chunk, paused by the
// client's socket), never read whole; playlists are small and read into memory.
import type { ReadStream } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DomainError, IllegalTransition, RoomNotFound } from '../../errors';
import type { Metrics } from '../../metrics';
import type { RoomService } from '../../rooms/room-service';
import { FlvFanout, type ByteSink } from '../flv/flv-fanout';
import { LIVE_PLAYLIST, VOD_PLAYLIST, broadcastDir, isBroadcastId, isRoomId, segmentIndex, segmentName } from '../hls-output/hls-paths';
import type { RtmpIngest } from '../rtmp/rtmp-ingest';
import { assertPlaySignature, type Query } from './media-access';
import { MediaLimits, type MediaCaps } from './media-limits';
import type { RoomMedia } from './room-media';

/** A slow viewer is dropped once this much is waiting for it (about 20 s of a 1.7 Mbps stream). */
const MAX_VIEWER_BUFFER = 4 * 1024 * 1024;

export interface MediaHttpOptions {
  secret: string;
  hlsRoot: string;
  rooms: RoomService;
  ingest: RtmpIngest;
  media(roomId: string): RoomMedia;
  log: Logger;
  metrics: Metrics;
  mergeMs: number;
  countOut(bytes: number): void;
  caps: MediaCaps;
  /** an HTTP-FLV viewer of a room without a publisher is closed after this long */
  idleViewerWaitMs: number;
}

/** A file to send: the route sets it as the body with its length; the stream frees its slot when it closes. */
export interface FileBody { stream: ReadStream; size: number }

const notFound = (what: string) => new DomainError('not_found', 'not_found', `No ${what} here.`);

export class EmbeddedMediaHttp {
  private readonly limits: MediaLimits;

  constructor(private readonly o: MediaHttpOptions) {
    this.limits = new MediaLimits({ ...o.caps, log: o.log, metrics: o.metrics });
  }

  /** Signature, then room state: a play URL opens only a room that exists and has not ended. */
  async admitViewer(roomId: string, query: Query) {
    if (!isRoomId(roomId)) throw new RoomNotFound(roomId.slice(0, 64));
    assertPlaySignature(this.o.secret, roomId, query);
    const room = await this.o.rooms.get(roomId);
    if (room.status === 'ended') {
      throw new IllegalTransition('room_ended', `Room "${roomId}" has ended.`, { replay: null });
    }
    return room;
  }

  /** A place for one more HTTP-FLV viewer (per address, per room, in total); call the release when it leaves. */
  reserveFlv(roomId: string, address: string): () => void {
    return this.limits.flvViewer(roomId, address);
  }

  /** A place for one more HLS or replay request from `address` while it is in flight. */
  reserveHls(address: string): () => void {
    return this.limits.hlsRequest(address);
  }

  /**
   * Attach an HTTP-FLV viewer; it stays until the client leaves, the publisher goes, or the room ends. A viewer
   * of a room nobody publishes to waits IDLE_VIEWER_WAIT_S for the host, then is closed.
   */
  attachFlv(roomId: string, address: string, sink: ByteSink, onGone: (cb: () => void) => void): void {
    const m = this.o.media(roomId);
    const { metrics, log } = this.o;
    if (!m.flv) {
      const fanout = new FlvFanout({
        mergeMs: this.o.mergeMs,
        maxBufferedBytes: MAX_VIEWER_BUFFER,
        onBytes: (n) => { m.flvBytesOut += n; this.o.countOut(n); metrics.bytesOut.inc({ protocol: 'flv' }, n); },
        onSlow: (buffered) => {
          metrics.droppedViewers.inc();
          log.warn({ roomId, buffered }, 'flv viewer is too slow: dropped');
        },
      });
      fanout.attached(this.o.ingest.subscribe(roomId, fanout));
      m.flv = fanout;
    }
    const fanout = m.flv;
    fanout.join(sink);
    const idle = this.o.ingest.publisher(roomId) ? null : setTimeout(() => {
      if (this.o.ingest.publisher(roomId) || sink.destroyed) return;
      this.limits.count('idle_viewer', { roomId, address }, 'flv viewer of a room that is not live: closed');
      fanout.leave(sink); // no write may follow the end; onGone still closes the fan-out if it was the last
      sink.end();
    }, this.o.idleViewerWaitMs);
    onGone(() => {
      if (idle) clearTimeout(idle);
      // the last viewer out closes the fan-out, unless it was already replaced (publisher gone, room ended)
      if (fanout.leave(sink) === 0 && m.flv === fanout) m.closeFlvViewers();
    });
  }

  /** The live playlist, its segment URIs carrying the caller's signature so segment requests pass. */
  async livePlaylist(roomId: string, query: Query, address: string): Promise<string> {
    const room = await this.admitViewer(roomId, query);
    if (room.status !== 'live' || !room.broadcastId) throw notFound('live stream yet: the host has not started');
    const text = await this.read(broadcastDir(this.o.hlsRoot, roomId, room.broadcastId), LIVE_PLAYLIST, 'playlist yet');
    this.o.media(roomId).seenHlsClient(address);
    const sig = `?expires=${encodeURIComponent(String(query.expires))}&sign=${encodeURIComponent(String(query.sign))}`;
    return text.toString('utf8').replace(/^([^#\s][^\r\n]*)$/gm, `$1${sig}`);
  }

  async liveSegment(roomId: string, file: string, query: Query, address: string): Promise<FileBody> {
    const index = segmentIndex(file);
    if (index === null) throw notFound('such file');
    const room = await this.admitViewer(roomId, query);
    if (!room.broadcastId) throw notFound('such segment');
    const body = await this.openFile(broadcastDir(this.o.hlsRoot, roomId, room.broadcastId), segmentName(index), 'such segment');
    const m = this.o.media(roomId);
    m.seenHlsClient(address);
    body.stream.once('close', () => {
      const sent = body.stream.bytesRead;
      m.hlsBytesOut += sent;
      this.o.countOut(sent);
      this.o.metrics.bytesOut.inc({ protocol: 'hls' }, sent);
    });
    return body;
  }

  /** Replay files are public, like the recording of a public broadcast. */
  async replayFile(roomId: string, broadcastId: string, file: string): Promise<{ playlist: string } | { segment: FileBody }> {
    if (!isRoomId(roomId) || !isBroadcastId(broadcastId)) throw notFound('such replay');
    const dir = broadcastDir(this.o.hlsRoot, roomId, broadcastId);
    if (file === VOD_PLAYLIST) return { playlist: (await this.read(dir, file, 'such replay')).toString('utf8') };
    const index = segmentIndex(file);
    if (index === null) throw notFound('such file');
    const segment = await this.openFile(dir, segmentName(index), 'such replay');
    segment.stream.once('close', () => this.o.metrics.bytesOut.inc({ protocol: 'hls' }, segment.stream.bytesRead));
    return { segment };
  }

  private async read(dir: string, file: string, what: string): Promise<Buffer> {
    try {
      return await readFile(join(dir, file));
    } catch {
      throw notFound(what);
    }
  }

  /** Opens a file to stream under FILE_STREAMS_MAX; the slot is held until the stream closes (sent, or client gone). */
  private async openFile(dir: string, file: string, what: string): Promise<FileBody> {
    const release = this.limits.fileStream(file);
    let handle: FileHandle | undefined;
    try {
      handle = await open(join(dir, file), 'r');
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error('not a file');
      const stream = handle.createReadStream(); // 64 KiB chunks; closes the handle when it ends or is destroyed
      stream.once('close', release);
      return { stream, size: stat.size };
    } catch {
      await handle?.close().catch(() => undefined);
      release();
      throw notFound(what);
    }
  }
}
