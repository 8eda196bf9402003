// What the media routes (server/api/routes/media.ts) do for the embedded plane: admission, FLV viewers, HLS files.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DomainError, IllegalTransition, RoomNotFound } from '../../errors';
import type { Metrics } from '../../metrics';
import type { RoomService } from '../../rooms/room-service';
import { FlvFanout, type ByteSink } from '../flv/flv-fanout';
import { LIVE_PLAYLIST, VOD_PLAYLIST, broadcastDir, isBroadcastId, isRoomId, segmentIndex, segmentName } from '../hls-output/hls-paths';
import type { RtmpIngest } from '../rtmp/rtmp-ingest';
import { assertPlaySignature, type Query } from './media-access';
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
}

const notFound = (what: string) => new DomainError('not_found', 'not_found', `No ${what} here.`);

export class EmbeddedMediaHttp {
  constructor(private readonly o: MediaHttpOptions) {}

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

  /** Attach an HTTP-FLV viewer; it stays until the client leaves, the publisher goes, or the room ends. */
  attachFlv(roomId: string, sink: ByteSink, onGone: (cb: () => void) => void): void {
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
    onGone(() => {
      // the last viewer out closes the fan-out, unless it was already replaced (publisher gone, room ended)
      if (fanout.leave(sink) === 0 && m.flv === fanout) m.closeFlvViewers();
    });
  }

  /** The live playlist, its segment URIs carrying the caller's signature so segment requests pass. */
  async livePlaylist(roomId: string, query: Query, clientKey: string): Promise<string> {
    const room = await this.admitViewer(roomId, query);
    if (room.status !== 'live' || !room.broadcastId) throw notFound('live stream yet: the host has not started');
    const text = await this.read(broadcastDir(this.o.hlsRoot, roomId, room.broadcastId), LIVE_PLAYLIST, 'playlist yet');
    this.o.media(roomId).seenHlsClient(clientKey);
    const sig = `?expires=${encodeURIComponent(String(query.expires))}&sign=${encodeURIComponent(String(query.sign))}`;
    return text.toString('utf8').replace(/^([^#\s][^\r\n]*)$/gm, `$1${sig}`);
  }

  async liveSegment(roomId: string, file: string, query: Query, clientKey: string): Promise<Buffer> {
    const index = segmentIndex(file);
    if (index === null) throw notFound('such file');
    const room = await this.admitViewer(roomId, query);
    if (!room.broadcastId) throw notFound('such segment');
    const data = await this.read(broadcastDir(this.o.hlsRoot, roomId, room.broadcastId), segmentName(index), 'such segment');
    this.countHls(roomId, data.length, clientKey);
    return data;
  }

  /** Replay files are public, like the recording of a public broadcast. */
  async replayFile(roomId: string, broadcastId: string, file: string): Promise<{ data: Buffer; playlist: boolean }> {
    if (!isRoomId(roomId) || !isBroadcastId(broadcastId)) throw notFound('such replay');
    const index = segmentIndex(file);
    if (file !== VOD_PLAYLIST && index === null) throw notFound('such file');
    const data = await this.read(broadcastDir(this.o.hlsRoot, roomId, broadcastId), file, 'such replay');
    if (index !== null) this.o.metrics.bytesOut.inc({ protocol: 'hls' }, data.length);
    return { data, playlist: index === null };
  }

  private countHls(roomId: string, bytes: number, clientKey: string): void {
    const m = this.o.media(roomId);
    m.hlsBytesOut += bytes;
    m.seenHlsClient(clientKey);
    this.o.countOut(bytes);
    this.o.metrics.bytesOut.inc({ protocol: 'hls' }, bytes);
  }

  private async read(dir: string, file: string, what: string): Promise<Buffer> {
    try {
      return await readFile(join(dir, file));
    } catch {
      throw notFound(what);
    }
  }
}
