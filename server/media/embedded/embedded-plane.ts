// The embedded media plane: RTMP ingest (node-media-server), HTTP-FLV and HLS served by this process.
// Room events drive the media (live → record HLS, publisher gone → pause, ended → finish and disconnect);
// media events drive the rooms (first packets → live, publisher dropped → grace). Co-host guests' streams
// (`<roomId>~g1`…) are GuestStreams' and never drive the room.
import { join } from 'node:path';
import type { RoomRecord } from '../../store/room-store';
import type { RoomService } from '../../rooms/room-service';
import { HlsRecorder } from '../hls-output/hls-recorder';
import { broadcastDir } from '../hls-output/hls-paths';
import type { MediaPlane, PlaneContext, PlaneRoutes, StatsSource } from '../plane';
import { RtmpIngest } from '../rtmp/rtmp-ingest';
import { VodPlays } from '../vod/vod-plays';
import { newBroadcastId } from '../../rooms/ids';
import { pushGenerationOf } from '../../signing/media-signature';
import type { StreamRequest } from '../rtmp/rtmp-ingest';
import type { GuestSlot } from '../../../typings/cohost';
import { GuestStreams } from './guest-streams';
import { reasonOf, signatureRefusal } from './media-access';
import { EmbeddedMediaHttp } from './media-http';
import { PlaneStats } from './plane-stats';
import { Recordings } from './recordings';
import { RoomAdmission } from './room-admission';
import { RoomMediaTable, roomPresence } from './room-media-table';

/** A slow FLV viewer is dropped once this much is waiting for it (about 20 s of a 1.7 Mbps stream). */
const MAX_VIEWER_BUFFER = 4 * 1024 * 1024;

type GuestRequest = StreamRequest & { slot: GuestSlot };
const isGuest = (req: StreamRequest): req is GuestRequest => req.slot !== null;

export function createEmbeddedPlane(ctx: PlaneContext): MediaPlane {
  return new EmbeddedPlane(ctx);
}

class EmbeddedPlane implements MediaPlane {
  readonly viewers = { viewers: (roomId: string) => this.planeStats.viewerCounts(roomId).total };
  readonly stats: StatsSource;
  readonly routes: PlaneRoutes;
  private readonly planeStats: PlaneStats;
  private readonly media: RoomMediaTable;
  private readonly ingest: RtmpIngest;
  private readonly guests: GuestStreams;
  private readonly recordings: Recordings;
  private housekeeping: NodeJS.Timeout | null = null;
  private readonly rooms: RoomService;

  constructor(private readonly ctx: PlaneContext) {
    const { config, log } = ctx;
    this.rooms = ctx.rooms;
    this.recordings = new Recordings({ config, log, metrics: ctx.metrics, findRoom: (id) => this.rooms.find(id) });
    this.ingest = new RtmpIngest({
      port: config.RTMP_PORT, host: config.HOST, log: log.child({ mod: 'rtmp' }), dataDir: config.DATA_DIR,
      maxConnections: config.RTMP_MAX_CONNECTIONS, publisherReserve: config.RTMP_PUBLISHER_RESERVE, maxPerIp: config.RTMP_MAX_PER_IP, maxPlayersPerRoom: config.RTMP_MAX_PER_ROOM,
      handshakeTimeoutMs: config.RTMP_HANDSHAKE_TIMEOUT_S * 1000, idleViewerWaitMs: config.IDLE_VIEWER_WAIT_S * 1000,
      publishMaxSpeed: config.PUBLISH_MAX_SPEED, limitRefusals: ctx.metrics.limitRefusals,
      // RTMP `vod/<name>`: library files, nginx-rtmp's `application vod` (counted in the connection caps above)
      vod: ctx.vod && new VodPlays({
        catalog: ctx.vod, log: log.child({ mod: 'vod' }), maxPlayers: config.VOD_MAX_PLAYERS, maxPerIp: config.VOD_MAX_PER_IP, onLimit: (reason) => ctx.metrics.limitRefusals.inc({ reason }),
      }),
      hooks: {
        checkPublish: (req) => this.refuse('publish', req, isGuest(req) ? this.guests.checkPublish(req)
          : signatureRefusal(config.secrets.signingSecret, 'publish', req.roomId, req.query) ?? this.busyRefusal(req)),
        admitPublish: async (req) => (isGuest(req) ? this.refuse('publish', req, await this.guests.admitPublish(req)) : this.admitPublish(req)),
        // a guest's stream plays with the room's play signature
        checkPlay: (req) => this.refuse('play', req, signatureRefusal(config.secrets.signingSecret, 'play', req.roomId, req.query)),
        publishStarted: (req) => (isGuest(req) ? this.guests.publishStarted(req) : this.publishStarted(req)),
        publishStopped: (req) => (isGuest(req) ? this.guests.publishStopped(req) : this.publishStopped(req)),
      },
    });
    this.media = new RoomMediaTable({
      hub: this.ingest,
      flv: {
        mergeMs: config.FLV_MERGE_MS, maxBufferedBytes: MAX_VIEWER_BUFFER,
        onSlow: (roomId, buffered) => {
          ctx.metrics.droppedViewers.inc();
          log.warn({ roomId, buffered }, 'flv viewer is too slow: dropped');
        },
      },
      onBytesOut: (protocol, n) => {
        this.planeStats.countOut(n);
        ctx.metrics.addBytesOut(protocol, n);
      },
    }, roomPresence(this.ingest));
    this.guests = new GuestStreams({
      check: ctx.cohosts, media: this.media, disconnect: (key) => this.ingest.disconnect(key), hold: (key, b) => this.ingest.hold(key, b),
      root: join(config.DATA_DIR, 'hls-guests'), log: log.child({ mod: 'cohosts' }),
      hls: { fragmentS: config.HLS_FRAGMENT_S, playlistLengthS: config.HLS_PLAYLIST_LENGTH_S, maxSegmentBytes: Math.floor(config.HLS_MAX_SEGMENT_MB * 1024 * 1024) },
    });
    this.stats = this.planeStats = new PlaneStats(this.media, roomPresence(this.ingest), ctx.metrics);
    this.routes = { routers: [], media: this.wire(ctx.rooms) };
  }

  /** Room events drive the media; media requests are answered by the EmbeddedMediaHttp returned. */
  private wire(rooms: RoomService): EmbeddedMediaHttp {
    // media requests are admitted from what these events say, not from a store read each
    const admission = new RoomAdmission({ find: (id) => rooms.find(id) });
    rooms.events.on('live', (room, resumed) => {
      admission.learn(room);
      this.onLive(room, resumed);
    });
    rooms.events.on('publisherGone', (room) => {
      admission.learn(room);
      this.media.find(room.id)?.publisherGone(); // already done when the publish ended here
    });
    rooms.events.on('ended', (room) => {
      admission.learn(room);
      this.onEnded(room);
    });
    rooms.events.on('deleted', (id) => {
      admission.forget(id);
      void this.recordings.removeRoom(id);
    });
    return new EmbeddedMediaHttp({
      secret: this.ctx.config.secrets.signingSecret, hlsRoot: this.recordings.hlsRoot, admission, ingest: this.ingest,
      media: (id) => this.media.get(id), log: this.ctx.log, metrics: this.ctx.metrics,
      writing: (roomId, broadcastId) => this.recordings.writing(roomId, broadcastId),
      removing: (roomId) => this.recordings.isRemoving(roomId),
      caps: {
        flvPerIp: this.ctx.config.FLV_MAX_PER_IP, flvPerRoom: this.ctx.config.FLV_MAX_PER_ROOM,
        flvTotal: this.ctx.config.FLV_MAX_VIEWERS, hlsPerIp: this.ctx.config.HLS_MAX_PER_IP,
        hlsPerRoom: this.ctx.config.HLS_MAX_PER_ROOM, hlsTotal: this.ctx.config.HLS_MAX_REQUESTS,
        fileStreams: this.ctx.config.FILE_STREAMS_MAX,
      },
      idleViewerWaitMs: this.ctx.config.IDLE_VIEWER_WAIT_S * 1000,
    });
  }

  async start(): Promise<{ rtmpPort: number | null }> {
    const rtmpPort = await this.ingest.start();
    this.planeStats.start();
    await this.guests.start();
    this.housekeeping = setInterval(() => this.recordings.sweep(), 3600_000);
    this.housekeeping.unref();
    // only this process publishes to this store's rooms when it is SQLite; a shared store has other media nodes
    if (this.ctx.config.STORE === 'sqlite') await this.rooms.publishersLost();
    this.recordings.recover();
    this.recordings.sweep();
    return { rtmpPort };
  }

  async close(): Promise<void> {
    this.planeStats.stop();
    this.guests.close();
    if (this.housekeeping) clearInterval(this.housekeeping);
    const writing = this.recordings.stillWriting();
    for (const m of this.media.all()) {
      m.closeFlvViewers();
      const recorder = m.pauseRecording();
      if (recorder) writing.push(recorder.settled());
    }
    await this.ingest.stop();
    await Promise.all(writing); // what was recorded is on disk before the process goes
  }

  private refuse(action: 'publish' | 'play', req: StreamRequest, reason: string | null): string | null {
    if (reason) {
      this.ctx.log.warn({ roomId: req.roomId, address: req.address, action, reason }, `${action} refused`);
      if (action === 'publish') this.ctx.metrics.publishRefusals.inc({ reason });
      if (action === 'publish') this.ctx.hooks?.publishRefused?.(req.roomId, reason);
    }
    return reason;
  }

  /**
   * A second publisher while the first is connected: NMS would refuse it too (one publisher per path), but only in
   * a debug line; refusing here logs and counts it like every other refusal.
   */
  private busyRefusal(req: StreamRequest): string | null {
    return this.media.find(req.roomId)?.busyFor(req.sessionId) ? 'already_publishing' : null;
  }

  private async admitPublish(req: StreamRequest): Promise<string | null> {
    const full = this.refuse('publish', req, await this.recordings.publishRefusal(req.roomId));
    if (full) return full;
    let room: RoomRecord;
    try {
      room = await this.rooms.admitPublisher(req.roomId, pushGenerationOf(req.query));
    } catch (err) {
      return this.refuse('publish', req, reasonOf(err));
    }
    const broadcast = room.status === 'live' && room.broadcastId
      ? { id: room.broadcastId, resumes: true } : { id: newBroadcastId(), resumes: false };
    if (!this.media.get(req.roomId).admitPublisher(req.sessionId, broadcast)) return this.refuse('publish', req, 'already_publishing');
    return null;
  }

  /** Media first: HLS records from the first packet; the store's live write (and its event) follows. */
  private publishStarted(req: StreamRequest): void {
    const broadcast = this.media.find(req.roomId)?.admittedBroadcast(req.sessionId);
    if (broadcast) this.record(req.roomId, broadcast.id, broadcast.resumes);
    this.rooms.publisherStarted(req.roomId, broadcast?.id).catch((err) => {
      // the room ended while this publisher was being admitted: what was recorded is closed as a replay
      this.refuse('publish', req, reasonOf(err));
      this.recordings.finished(req.roomId, this.media.find(req.roomId)?.endRecording() ?? null);
      this.ingest.disconnect(req.roomId);
    });
  }

  private publishStopped(req: StreamRequest): void {
    // media reacts at once (recording paused, FLV viewers let go); the store's grace follows
    if (!this.media.find(req.roomId)?.publisherLeft(req.sessionId)) return;
    this.rooms.publisherStopped(req.roomId).catch((err) => this.ctx.log.error({ err, roomId: req.roomId }, 'publisherStopped failed'));
  }

  /** The room is live in the store: recording began at the first packet already, unless another path made it live. */
  private onLive(room: RoomRecord, resumed: boolean): void {
    if (!room.broadcastId || this.media.get(room.id).records(room.broadcastId)) return;
    this.record(room.id, room.broadcastId, resumed);
  }

  private record(roomId: string, broadcastId: string, resumed: boolean): void {
    const { config, log } = this.ctx;
    const replaced = this.media.get(roomId).startRecording(resumed, () => new HlsRecorder({
        dir: broadcastDir(this.recordings.hlsRoot, roomId, broadcastId), fragmentS: config.HLS_FRAGMENT_S,
        playlistLengthS: config.HLS_PLAYLIST_LENGTH_S, replay: config.REPLAY, log: log.child({ roomId }), broadcastId,
        maxSegmentBytes: Math.floor(config.HLS_MAX_SEGMENT_MB * 1024 * 1024),
        budget: this.recordings.budget().forBroadcast(roomId, broadcastId),
        // the live stream over FLV and RTMP goes on; only its recording stopped
        onLimit: (reason) => this.ctx.metrics.limitRefusals.inc({ reason: `recording_${reason}` }),
        onBacklog: (behind) => this.ingest.hold(roomId, behind),
    }));
    this.recordings.finished(roomId, replaced);
  }

  private onEnded(room: RoomRecord): void {
    const recorder = this.media.find(room.id)?.end() ?? null;
    if (recorder) this.recordings.finished(room.id, recorder);
    else if (room.broadcastId) this.recordings.closeOrphan(room.id, room.broadcastId);
    // the replay is whole once its recorder (or the orphan's closing) is done
    if (room.broadcastId) void (this.recordings.writing(room.id, room.broadcastId) ?? Promise.resolve()).then(() => this.ctx.hooks?.replayReady?.(room.id, room.broadcastId!), () => undefined);
    this.guests.roomEnded(room.id);
    this.ingest.disconnect(room.id);
    this.media.delete(room.id);
  }
}
