// The embedded RTMP ingest/play server: node-media-server's RTMP sessions and stream hub (patched, see
// patches/), our listener, admission through IngestHooks, and FLV tag taps for the rest of the media plane.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { listen } from '../../listen';
import { ConnectionGuard } from './connection-guard';
import { Context, RtmpClass, type NmsSession, type RtmpSession } from './nms';
import { routeNmsLog } from './nms-log';
import { PublishAdmission } from './publish-admission';
import { readThroughSharedBuffer } from './shared-read-buffer';
import { GUEST_SLOTS } from '../../../typings/cohost';
import { parseStreamPath, requestOf, streamKeyOf, streamPathOf } from './stream-path';
import { TapSession } from './tap-session';

/** the app nginx-rtmp's set-up plays library files from (server/media/vod) */
const VOD_APP = 'vod';
const VOD_PATH = `/${VOD_APP}/`;
import type { IngestHooks, PublisherInfo, RtmpIngestOptions, StreamRequest, TagTap } from './types';

export type { IngestHooks, PublisherInfo, RtmpIngestOptions, StreamRequest, TagTap } from './types';

const DEFAULTS = {
  handshakeTimeoutMs: 10_000, admissionTimeoutMs: 10_000, publisherIdleMs: 10_000, idleViewerWaitMs: 30_000,
  maxConnections: 1000, publisherReserve: 50, maxPerIp: 100, maxPlayersPerRoom: 500, publishMaxSpeed: 3, parserBudgetBytes: 256 * 1024 * 1024,
};

/** NMS keeps its hubs in a module singleton, so one ingest may run per process. */
let running: RtmpIngest | null = null;

export class RtmpIngest {
  private readonly log: Logger;
  private readonly hooks: IngestHooks;
  private readonly limits: typeof DEFAULTS;
  private readonly admission: PublishAdmission;
  private readonly guard: ConnectionGuard;
  private readonly taps = new Set<TapSession>();
  private readonly players = new Map<string, StreamRequest>();
  /** RTMP bytes sent to players that have left, per room (so bytesOut only grows) */
  private readonly closedOut = new Map<string, number>();
  private server: Server | null = null;
  private sampler: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(private readonly opts: RtmpIngestOptions) {
    this.log = opts.log;
    this.hooks = opts.hooks;
    const limits = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) limits[key] = opts[key] ?? DEFAULTS[key];
    // a small listener keeps the default reserve's share (5 %) rather than more reserve than slots
    if (opts.publisherReserve === undefined) limits.publisherReserve = Math.min(DEFAULTS.publisherReserve, Math.floor(limits.maxConnections / 20));
    if (limits.publisherReserve >= limits.maxConnections) throw new Error('publisherReserve must be less than maxConnections');
    this.limits = limits;
    this.admission = new PublishAdmission({
      hooks: this.hooks, log: this.log, timeoutMs: limits.admissionTimeoutMs, maxSpeed: limits.publishMaxSpeed,
      active: () => !this.stopping, tapsOf: (path) => [...this.taps].filter((t) => t.streamPath === path),
      tooFast: (session, fields) => this.guard.closeForLimit(session, 'publish_too_fast', 'RTMP publisher faster than real time; closing', fields),
    });
    this.guard = new ConnectionGuard({
      // a VOD player is never a viewer of a room that is not live (not idle, not evictable)
      log: this.log, refusals: opts.limitRefusals, isLive: (path) => path.startsWith(VOD_PATH) || this.admission.isLive(path),
      handshakeTimeoutMs: limits.handshakeTimeoutMs, publisherIdleMs: limits.publisherIdleMs, idleViewerWaitMs: limits.idleViewerWaitMs,
      caps: {
        maxConnections: limits.maxConnections, publisherReserve: limits.publisherReserve, maxPerIp: limits.maxPerIp,
        // room for newcomers to show who they are (a signed publisher among a crowd); fds stay bounded
        hardCeiling: limits.maxConnections + Math.max(16, Math.ceil(limits.maxConnections / 10)),
      },
    });
  }

  /** Listen; resolves to the bound port. A taken port rejects with PortInUse (server/listen.ts). */
  async start(): Promise<number> {
    if (running) throw new Error('an RtmpIngest is already running in this process (NMS state is global)');
    running = this;
    this.stopping = false;
    routeNmsLog(this.log);
    Context.config = { bind: this.opts.host, rtmp: { port: this.opts.port } };
    const events = Context.eventEmitter;
    events.on('prePublish', this.admission.onPrePublish);
    events.on('prePublish', this.onPrePublishLimits);
    events.on('limitExceeded', this.onLimitExceeded);
    events.on('postPublish', this.admission.onPostPublish);
    events.on('donePublish', this.admission.onDonePublish);
    events.on('prePlay', this.onPrePlay);
    events.on('postPlay', this.onPostPlay);
    events.on('donePlay', this.onDonePlay);
    if (this.opts.vod) Context.playRoutes = new Map([[VOD_APP, this.onVodPlay]]);
    // partly received messages of all connections together (a player's or a newcomer's are small: see the patch)
    RtmpClass.parserBudget.totalBytes = this.limits.parserBudgetBytes;
    // no server.maxConnections: it refuses before we know who connects; the guard evicts or refuses instead
    this.server = createServer(this.onConnection);
    try {
      const port = await listen(this.server, this.opts.port, this.opts.host, 'RTMP');
      this.sampler = setInterval(() => this.admission.sampleRates(), 1000);
      this.sampler.unref();
      this.guard.start();
      this.log.info({ port }, 'RTMP ingest listening');
      return port;
    } catch (err) {
      this.detachListeners();
      this.server = null;
      running = null;
      throw err;
    }
  }

  /** Close the listener and every connection; taps get onEnd and are detached. No hooks are called from here on. */
  async stop(): Promise<void> {
    if (!this.server) return;
    this.stopping = true;
    if (this.sampler) clearInterval(this.sampler);
    const server = this.server;
    this.server = null;
    await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), this.guard.closeAll()]);
    for (const tap of this.taps) {
      tap.end();
      tap.detach();
    }
    this.taps.clear();
    this.detachListeners();
    if (running === this) running = null;
  }

  // Per-stream methods take a stream key (stream-path.ts): the room id for its main stream, `<roomId>~g1` for a guest's.

  /** Attach a tap to a stream (now or before its publisher arrives). Returns detach (idempotent). */
  subscribe(key: string, tap: TagTap): () => void {
    const broadcast = this.admission.broadcastFor(streamPathOf(key));
    const session = new TapSession(broadcast, tap, (err) => {
      this.log.error({ err, stream: key }, 'FLV tag consumer failed; detaching it');
      detach();
    });
    const detach = () => {
      this.taps.delete(session);
      session.detach();
    };
    this.taps.add(session);
    session.attach();
    return detach;
  }

  /** Close the stream's publisher (also one still being admitted) and all its RTMP players now. */
  disconnect(key: string): void {
    const broadcast = Context.broadcasts.get(streamPathOf(key));
    if (!broadcast) return;
    if (broadcast.publisher && broadcast.publisher.ip !== '') broadcast.publisher.close();
    for (const s of [...broadcast.subscribers.values()]) if (s.protocol === 'rtmp') s.close();
  }

  /**
   * Back-pressure from the recording: while `behind`, the room's publisher socket is not read (TCP makes the
   * encoder wait) instead of the disk backlog growing; viewers of other rooms and the API are not held up.
   */
  hold(key: string, behind: boolean): void {
    const publisher = Context.broadcasts.get(streamPathOf(key))?.publisher as RtmpSession | null | undefined;
    const socket = publisher?.socket;
    if (!socket || socket.destroyed) return;
    if (behind) socket.pause();
    else socket.resume();
  }

  /** The stream's admitted publisher, or null. */
  publisher(key: string): PublisherInfo | null {
    return this.admission.publisherInfo(streamPathOf(key));
  }

  /** RTMP players of the room: its main stream and its guests' (RTMP_MAX_PER_ROOM counts them all). */
  roomRtmpViewers(roomId: string): number {
    return this.rtmpViewers(roomId) + GUEST_SLOTS.reduce((n, slot) => n + this.rtmpViewers(streamKeyOf(roomId, slot)), 0);
  }

  /** Bytes sent to the RTMP players of the room's main stream and its guests' (only grows). */
  roomBytesOut(roomId: string): number {
    return this.bytesOut(roomId) + GUEST_SLOTS.reduce((n, slot) => n + this.bytesOut(streamKeyOf(roomId, slot)), 0);
  }

  rtmpViewers(key: string): number {
    const broadcast = Context.broadcasts.get(streamPathOf(key));
    let n = 0;
    for (const s of broadcast?.subscribers.values() ?? []) if (s.protocol === 'rtmp') n++;
    return n;
  }

  /** Bytes sent to the stream's RTMP players since this process started (only grows). */
  bytesOut(key: string): number {
    let total = this.closedOut.get(key) ?? 0;
    const broadcast = Context.broadcasts.get(streamPathOf(key));
    for (const s of broadcast?.subscribers.values() ?? []) if (s.protocol === 'rtmp') total += s.outBytes;
    return total;
  }

  private readonly onConnection = (socket: Socket): void => {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const session = this.guard.accept(socket);
    if (!session) return;
    session.run();
    if (readThroughSharedBuffer(socket, session.onData)) socket.removeListener('data', session.onData);
    Context.sessions.set(session.id, session);
  };

  /** After the signature check (admission's prePublish): a signed publisher takes a slot, evicting if it must. */
  private readonly onPrePublishLimits = (s: NmsSession): void => {
    const session = s as RtmpSession;
    if (s.ip === '' || session.refusal) return;
    session.refusal = this.guard.admitPublisher(session);
  };

  /** The patched session closed a connection over a limit: its parser's memory budget, or a player's backlog. */
  private readonly onLimitExceeded = (s: NmsSession, reason: string, detail: string): void => {
    const what = reason === 'rtmp_slow_player' ? 'a player too slow to keep up' : 'over its parser memory budget';
    this.guard.count(reason, { address: (s as RtmpSession).socket.remoteAddress, streamPath: s.streamPath, detail },
      `RTMP connection closed: ${what}`);
  };

  private readonly onPrePlay = (s: NmsSession): void => {
    if (s.ip === '') return;
    const session = s as RtmpSession;
    const name = parseStreamPath(session.streamPath);
    if (this.stopping) session.refusal = 'shutting_down';
    else if (!name) session.refusal = 'bad_stream_path';
    else session.refusal = this.admission.ask('checkPlay', () => this.hooks.checkPlay(requestOf(session, name)))
      ?? this.roomFull(session, name.roomId) ?? this.guard.admitPlayer(session);
    if (session.refusal) this.log.info({ streamPath: session.streamPath, reason: session.refusal }, 'RTMP play refused');
  };

  /** A play of the vod app (routed by the patched session, never through a hub): the connection caps, then the library. */
  private readonly onVodPlay = (session: RtmpSession): void => {
    const refusal = session.refusal ?? (this.stopping ? 'shutting_down' : null) ?? this.guard.admitPlayer(session);
    if (refusal) {
      this.log.info({ streamPath: session.streamPath, reason: refusal }, 'RTMP VOD play refused');
      // a name that cannot be a file is not found, as nginx answers
      session.refuse(refusal === 'invalid stream name' ? 'NetStream.Play.StreamNotFound' : 'NetStream.Play.Failed', refusal);
      return;
    }
    this.guard.playing(session);
    this.opts.vod!.play(session);
  };

  /** One popular room must not take every player slot from the others. */
  private roomFull(session: RtmpSession, roomId: string): string | null {
    if (this.roomRtmpViewers(roomId) < this.limits.maxPlayersPerRoom) return null;
    this.guard.count('rtmp_per_room', { streamPath: session.streamPath }, 'RTMP play refused: too many players in this room');
    return 'rtmp_per_room';
  }

  private readonly onPostPlay = (s: NmsSession): void => {
    if (s.ip === '') return;
    const req = requestOf(s as RtmpSession, parseStreamPath(s.streamPath)!);
    this.players.set(s.id, req);
    this.guard.playing(s as RtmpSession);
    this.admission.notify('playStarted', () => this.hooks.playStarted?.(req));
  };

  private readonly onDonePlay = (s: NmsSession): void => {
    const req = this.players.get(s.id);
    if (!req) return;
    this.players.delete(s.id);
    const key = streamKeyOf(req.roomId, req.slot);
    this.closedOut.set(key, (this.closedOut.get(key) ?? 0) + s.outBytes);
    this.admission.notify('playStopped', () => this.hooks.playStopped?.(req));
  };

  private detachListeners(): void {
    const events = Context.eventEmitter;
    events.off('prePublish', this.admission.onPrePublish);
    events.off('prePublish', this.onPrePublishLimits);
    events.off('limitExceeded', this.onLimitExceeded);
    events.off('postPublish', this.admission.onPostPublish);
    events.off('donePublish', this.admission.onDonePublish);
    events.off('prePlay', this.onPrePlay);
    events.off('postPlay', this.onPostPlay);
    events.off('donePlay', this.onDonePlay);
    Context.playRoutes?.delete(VOD_APP);
  }
}
