// Builds the whole server from a Config with explicit options: store, rooms, auth, media, HTTP.
import { createServer, type RequestListener, type Server } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createApp } from './api/app';
import { capConnectionsPerAddress } from './api/connection-caps';
import { roomSocketUpgrade } from './api/room-socket';
import { chatRouter } from './api/routes/chat';
import { ChatService } from './chat/chat-service';
import { openContentFilter } from './chat/content-filter/open-filter';
import { InProcessRoomBus, type RoomBus } from './chat/room-bus';
import type { ViewerCounter } from './rooms/ports';
import { UserGate } from './chat/user-gate';
import { addressOf } from './api/middleware/client-address';
import { GuestSessions } from './auth/guest-sessions';
import { isAdminToken } from './auth/admin-token';
import { LoginService } from './auth/login';
import type { Config } from './config';
import { listen } from './listen';
import { createMetrics, type Metrics } from './metrics';
import { CoverService } from './rooms/cover-service';
import { RoomService } from './rooms/room-service';
import { createMediaUrls, createPlane } from './media/create-plane';
import { mediaLane } from './api/media-lane';
import { vodLane } from './api/vod-lane';
import { createVodMedia } from './vod-media/vod-media-setup';
import { openVideoLibrary } from './vod/video-library';
import { CoverFiles } from './store/cover-files';
import { openChatStore, openCohostStore, openStore, openWebhookStore } from './store/open-store';
import { CohostService } from './rooms/cohosts/cohost-service';
import { adminWebhooksRouter } from './api/routes/admin-webhooks';
import { RoomWebhooks } from './webhooks/room-webhooks';
import { WebhookOutbox } from './webhooks/webhook-outbox';
import { webhookSecret } from './webhooks/webhook-secret';
import { countConnections } from './stats/connection-count';
import { StatsHistory } from './stats/stats-history';
import { webRouter } from './web/web-router';

export interface RunningServer {
  /** the bound ports (PORT=0 / RTMP_PORT=0 take any free one); rtmpPort is null when no RTMP listener runs */
  httpPort: number;
  rtmpPort: number | null;
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const startedAt = Date.now();
  // webhooks (issue 16): the outbox beside the rooms; room creation is announced by the store the RoomService writes to
  const webhookStore = openWebhookStore(config, log);
  const outbox = new WebhookOutbox({
    store: webhookStore, urls: config.WEBHOOK_URLS, secret: webhookSecret(config.DATA_DIR, config.WEBHOOK_SECRET), log,
  });
  const webhooks = new RoomWebhooks(outbox, log, config.REPLAY);
  const store = webhooks.announcingCreation(openStore(config, log));
  const chatStore = openChatStore(config, log);
  // a user the admin banned everywhere signs in and hosts no more; guests never host
  const gate = new UserGate(chatStore);
  const metrics = createMetrics();
  const secret = config.secrets.signingSecret;
  const limitRefused = (reason: string, key: string) => {
    metrics.limitRefusals.inc({ reason });
    log.warn({ reason, key }, 'refused by a limit');
  };
  const rooms = new RoomService({
    store,
    urls: createMediaUrls(config),
    pushTtlS: config.PUSH_TTL_S,
    playTtlS: config.PLAY_TTL_S,
    graceMs: config.RECONNECT_GRACE_S * 1000,
    limits: {
      createPerUserPerMin: config.ROOM_CREATE_PER_USER_PER_MIN, createPerAddressPerMin: config.ROOM_CREATE_PER_IP_PER_MIN,
      maxOpenPerHost: config.MAX_OPEN_ROOMS_PER_HOST,
    },
    onLimit: limitRefused,
    mayHost: (hostId) => gate.assertMayHost(hostId),
  });
  // the video library (issue 14): DATA_DIR/vod, uploads, the catalog the media plays from; replays' visibility
  const library = openVideoLibrary({ config, log, room: (id) => rooms.get(id) });
  const covers = new CoverService({
    rooms, files: new CoverFiles(join(config.DATA_DIR, 'covers')), perUserPerMin: config.COVER_UPLOADS_PER_USER_PER_MIN,
    onLimit: limitRefused, log,
  });
  const login = new LoginService({
    mode: config.AUTH_MODE,
    secret,
    sessionTtlS: config.SESSION_TTL_S,
    wechat: config.AUTH_MODE === 'wechat'
      ? { apiBase: config.WECHAT_API_BASE, appId: config.WECHAT_APPID!, secret: config.WECHAT_SECRET! }
      : undefined,
    perAddressPerMin: config.LOGIN_PER_IP_PER_MIN,
    perUserPerMin: config.LOGIN_PER_USER_PER_MIN,
    onLimit: limitRefused,
    maySignIn: (userId) => gate.assertMaySignIn(userId),
    nickname: (userId) => chatStore.nickname(userId),
  });
  const guests = config.GUEST_CHAT
    ? new GuestSessions({ secret, sessionTtlS: config.SESSION_TTL_S, perAddressPerMin: config.GUEST_PER_IP_PER_MIN, onLimit: limitRefused })
    : undefined;
  // RTMP_PORT=0 binds any free port: issued push/play URLs must name the bound one, known only after start
  let boundRtmpPort: number | null = null;
  // one way: rooms (with the media's URLs) → the plane over the rooms → the API showing both
  webhooks.follow(rooms);
  // co-hosting (issue 15): the media admits guest publishers through it; its changes go out on the room bus
  // (made below, after the plane: nothing is announced before the server has started)
  const cohostStore = openCohostStore(config, log);
  const cohosts = new CohostService({
    rooms, store: cohostStore, bus: { publish: (roomId, e) => bus.publish(roomId, e) }, urls: createMediaUrls(config), secret,
    pushTtlS: config.PUSH_TTL_S, playTtlS: config.PLAY_TTL_S, maxGuests: config.COHOST_MAX_GUESTS, log,
  });
  // vod: RTMP `vod/<name>` plays library files (server/media/vod)
  const plane = createPlane({ config, log, metrics, rooms, hooks: webhooks.planeHooks(), cohosts, vod: library.catalog });
  const planeRoutes = plane.routes;
  // the room chat (issue 13): content filter, and the bus between API nodes
  const filter = await openContentFilter({
    mode: config.CHAT_FILTER,
    wordsFile: config.CHAT_WORDS_FILE,
    wechat: config.WECHAT_APPID && config.WECHAT_SECRET
      ? { apiBase: config.WECHAT_API_BASE, appId: config.WECHAT_APPID, secret: config.WECHAT_SECRET }
      : undefined,
    onError: (err) => log.warn({ err }, 'chat content filter: a check or a word list reload failed'),
  });
  let bus: RoomBus;
  let viewers: ViewerCounter = plane.viewers;
  if (config.BUS === 'redis') {
    // loaded only when used: ioredis and its dependencies cost every single-node server about 4 MB
    const { RedisRoomBus } = await import('./chat/redis-bus');
    const redisBus = new RedisRoomBus({ url: config.REDIS_URL!, onError: (err, what) => log.error({ err }, `room bus: ${what} failed`) });
    await redisBus.ready().catch(async (err: unknown) => { await redisBus.close(); throw err; });
    // each node's media counts its own viewers: the embedded plane's are summed over the nodes (Tencent's are global)
    if (config.MEDIA_PROVIDER === 'embedded') {
      const summed = redisBus.viewerCounts(plane.viewers, () => plane.stats.snapshot().streams.map((s) => s.roomId));
      summed.start();
      viewers = summed;
    }
    bus = redisBus;
  } else {
    bus = new InProcessRoomBus((err) => log.error({ err }, 'room bus subscriber failed'));
  }
  const chat = new ChatService({
    rooms, store: chatStore, bus: webhooks.announcingMessages(bus), sessions: login, viewers, filter, log, cohosts,
    isAdminToken: (token) => isAdminToken(config.secrets.adminToken, token),
    sendRate: { perSecond: config.CHAT_MSGS_PER_S, burst: config.CHAT_MSG_BURST },
  });
  // the admin console's charts: every 2 s, the last 30 minutes (the HTTP listener is counted once it exists)
  let httpConnections = (): number => 0;
  const history = new StatsHistory({
    snapshot: () => plane.stats.snapshot(),
    httpConnections: () => httpConnections(),
    droppedViewers: async () => (await metrics.droppedViewers.get()).values[0]?.value ?? 0,
    ...(plane.stats.droppedViewers ? { droppedViewersOf: (roomId: string) => plane.stats.droppedViewers!(roomId) } : {}),
  }, { onError: (err) => log.error({ err }, 'stats history sample failed') });
  const app = createApp({
    log, rooms, covers, cohosts, videos: library.api, replays: library.replays, onLimit: limitRefused, login, adminToken: config.secrets.adminToken, stats: plane.stats, history, viewers, metrics: metrics.registry,
    publicHttpUrl: config.PUBLIC_HTTP_URL, publicRtmpUrl: config.PUBLIC_RTMP_URL,
    trustedProxies: config.TRUSTED_PROXIES, metricsPublic: config.METRICS_PUBLIC,
    get rtmpPort() { return boundRtmpPort ?? config.RTMP_PORT; },
    startedAt,
    extraRouters: [chatRouter(chat, { login, adminToken: config.secrets.adminToken, guests }), ...planeRoutes.routers, webRouter(),
      adminWebhooksRouter(webhookStore, config.secrets.adminToken)],
  });

  const sweeper = setInterval(() => {
    rooms.sweep().catch((err) => log.error({ err }, 'grace sweep failed'));
  }, 1000);
  sweeper.unref();

  const koa = app.callback();
  const media = planeRoutes.media;
  const lane = media ? mediaLane(media, {
    log, trustedProxies: config.TRUSTED_PROXIES, replayAccess: (roomId, broadcastId, q) => library.replays.access(roomId, broadcastId, q),
  }) : undefined;
  // library videos' HLS and replays as MP4 (issue 14); a hidden replay's MP4 only with its host's/admin's signature
  const vod = await createVodMedia({
    dataDir: config.DATA_DIR, catalog: library.catalog, fragmentS: config.HLS_FRAGMENT_S,
    replayAccess: (roomId, broadcastId, q) => library.replays.access(roomId, broadcastId, q),
  });
  const lanes = [library.fileLane, vodLane(vod, { log, trustedProxies: config.TRUSTED_PROXIES }), ...(lane ? [lane] : [])];
  const listener: RequestListener = (req, res) => { if (!lanes.some((l) => l(req, res))) void koa(req, res); };
  const http = limitedHttpServer(listener, config, log, metrics);
  httpConnections = countConnections(http);
  // GET /api/rooms/:id/socket: the room chat's WebSocket on the API port
  const sockets = roomSocketUpgrade({
    chat, log, trustedProxies: config.TRUSTED_PROXIES, maxPerIp: config.CHAT_MAX_PER_IP, maxPerRoom: config.CHAT_MAX_PER_ROOM,
    heartbeatMs: config.CHAT_HEARTBEAT_S * 1000, onLimit: limitRefused,
  });
  http.on('upgrade', (req, socket, head) => {
    if (!sockets.handle(req, socket, head)) socket.destroy();
  });
  const closeHttp = () => new Promise<void>((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
  let httpPort: number;
  let rtmpPort: number | null;
  try {
    await library.start();
    httpPort = await listen(http, config.PORT, config.HOST, 'HTTP');
    ({ rtmpPort } = await plane.start());
    boundRtmpPort = rtmpPort;
    history.start();
    outbox.start();
  } catch (err) {
    clearInterval(sweeper);
    if (http.listening) await closeHttp();
    await chat.close();
    await sockets.close();
    await plane.close();
    await store.close();
    await chatStore.close();
    cohosts.close();
    await cohostStore.close();
    await bus.close();
    await filter.close();
    await outbox.stop();
    await webhookStore.close();
    await library.close();
    throw err;
  }

  return {
    httpPort,
    rtmpPort,
    async close() {
      clearInterval(sweeper);
      history.stop();
      await chat.close();
      await sockets.close();
      await plane.close();
      await closeHttp();
      await store.close();
      await chatStore.close();
      cohosts.close();
      await cohostStore.close();
      await bus.close();
      await filter.close();
      // after the plane: its last events (room.ended, replay.ready) are stored; attempts under way settle
      await outbox.stop();
      await webhookStore.close();
      await library.close();
    },
  };
}

/**
 * The HTTP listener with the README's connection limits. Node checks the header and request deadlines only
 * every connectionsCheckingInterval (30 s by default, so slow headers lived ~70 s): check every second.
 * requestTimeout bounds receiving the request only, never a long FLV or segment response.
 */
function limitedHttpServer(listener: RequestListener, config: Config, log: Logger, metrics: Metrics): Server {
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_S * 1000;
  const http = createServer({
    // Node refuses headersTimeout > requestTimeout: a whole request cannot take less than its headers
    headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_S * 1000, requestTimeout),
    requestTimeout,
    connectionsCheckingInterval: 1000,
    keepAliveTimeout: 5000,
  }, listener);
  http.maxConnections = config.HTTP_MAX_CONNECTIONS;
  http.on('drop', (data) => {
    metrics.limitRefusals.inc({ reason: 'http_connections' });
    log.warn({ reason: 'http_connections', address: data?.remoteAddress, max: config.HTTP_MAX_CONNECTIONS }, 'HTTP connection refused');
  });
  const trusted = addressOf(config.TRUSTED_PROXIES);
  capConnectionsPerAddress(http, {
    maxPerAddress: config.HTTP_MAX_PER_IP,
    exempt: (address) => trusted.trusts(address),
    onLimit: (outcome, address) => {
      const reason = outcome === 'refused' ? 'http_per_ip' : 'http_per_ip_evicted';
      metrics.limitRefusals.inc({ reason });
      // an eviction is routine for a busy NAT address: worth a count, not a warning per socket
      if (outcome === 'refused') log.warn({ reason, address, max: config.HTTP_MAX_PER_IP }, 'HTTP connection refused');
    },
  });
  return http;
}
