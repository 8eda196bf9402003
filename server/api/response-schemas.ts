// Response schemas of the HTTP contract, for the OpenAPI document. typings/api.ts stays the source the clients
// import; test/api/openapi-types.test.ts makes tsc fail when a schema here and its type there part ways.
import { z } from 'zod';

/** ISO-8601 instants as the server writes them (`Date#toISOString`). */
const instant = z.iso.datetime();

export const roomStatus = z.enum(['idle', 'live', 'ended']);

export const room = z.object({
  id: z.string(),
  title: z.string(),
  cover: z.string().optional(),
  hostId: z.string(),
  status: roomStatus,
  createdAt: instant,
  startedAt: instant.nullable(),
  endedAt: instant.nullable(),
  viewers: z.number().int().min(0).meta({ description: 'Live viewer count (HTTP-FLV + RTMP + recent HLS clients).' }),
}).meta({ description: 'A live room as every client sees it. Times are ISO-8601, null when not reached yet.' });

export const pushTicket = z.object({
  url: z.string(),
  server: z.string(),
  streamKey: z.string(),
  expiresAt: instant,
}).meta({ description: '`url` is `server + "/" + streamKey`; OBS takes the two halves.' });

export const playUrls = z.object({
  flv: z.string(),
  rtmp: z.string(),
  hls: z.string(),
  expiresAt: instant,
  guests: z.array(z.object({
    slot: z.enum(['g1', 'g2', 'g3']),
    user: z.object({ id: z.string(), nickname: z.string() }),
    flv: z.string(), rtmp: z.string(), hls: z.string(),
  })).optional().meta({ description: 'co-hosts on the air, in slot order; append `&latency=low` to `flv` for the co-hosts\' own low-latency path' }),
}).meta({ description: 'Signed play URLs for one room (served ahead of the router: /live/…, /hls/…).' });

export const apiErrorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: 'snake_case, stable: branch on this' }),
    message: z.string().meta({ description: 'a human sentence' }),
    replay: z.string().nullable().optional(),
    retryAfterS: z.number().optional().meta({ description: '429: seconds until the limit lets this client in again (also Retry-After)' }),
    limit: z.number().optional().meta({ description: '409 too_many_open_rooms: how many open rooms a host may have' }),
  }),
});

export const user = z.object({ id: z.string(), nickname: z.string().optional() });

export const loginResponse = z.object({ token: z.string(), user, expiresAt: instant });
export const createRoomResponse = z.object({ room, push: pushTicket });
export const roomResponse = z.object({ room });
export const roomListResponse = z.object({ rooms: z.array(room), nextCursor: z.string().nullable() });
export const pushResponse = z.object({ push: pushTicket });
export const playResponse = z.object({ play: playUrls });
export const healthResponse = z.object({ status: z.literal('ok') });

export const streamStats = z.object({
  roomId: z.string(),
  publisher: z.object({ address: z.string(), since: instant }).nullable(),
  video: z.object({ codec: z.string(), width: z.number(), height: z.number(), fps: z.number() }).nullable(),
  audio: z.object({ codec: z.string(), sampleRate: z.number(), channels: z.number() }).nullable(),
  bitrateIn: z.number().meta({ description: 'bits per second received from the publisher, averaged over the last few seconds' }),
  viewers: z.object({ flv: z.number(), rtmp: z.number(), hls: z.number(), total: z.number() }),
  bytesIn: z.number(),
  bytesOut: z.number(),
});

export const adminRoom = room.extend({ stream: streamStats.nullable() });
export const adminRoomListResponse = z.object({ rooms: z.array(adminRoom), nextCursor: z.string().nullable() });

export const adminStatsResponse = z.object({
  uptimeS: z.number(),
  rooms: z.object({ idle: z.number(), live: z.number(), ended: z.number() }),
  streams: z.array(streamStats),
  totals: z.object({
    streams: z.number(),
    publishers: z.number(),
    viewers: z.number(),
    bytesIn: z.number(),
    bytesOut: z.number(),
    bitrateIn: z.number(),
    bitrateOut: z.number(),
  }),
});

// ---- admin: stats history (columns aligned with `t`, Unix seconds) ----

const series = z.array(z.number());

export const serverHistory = z.object({
  t: series, cpuPercent: series, rssBytes: series, bytesOutPerS: series, httpConnections: series, rtmpConnections: series,
  droppedViewers: series,
});

export const streamHistory = z.object({
  roomId: z.string(),
  live: z.boolean(),
  t: series,
  bitrateIn: series,
  fps: series,
  viewers: z.object({ flv: series, rtmp: series, hls: series }),
  droppedViewers: series.nullable(),
});

export const statsHistoryResponse = z.object({
  intervalS: z.number(),
  windowS: z.number(),
  server: serverHistory,
  streams: z.array(streamHistory),
});

// ---- chat (typings/chat.ts) ----

export const chatUser = z.object({ id: z.string(), nickname: z.string() });
export const chatMessage = z.object({ id: z.string(), user: chatUser, text: z.string(), at: instant });
export const messagePageResponse = z.object({
  messages: z.array(chatMessage),
  nextBefore: z.string().nullable().meta({ description: 'pass as `before` for the next (older) page; null on the last page' }),
});

const chatSettings = z.object({
  slowModeS: z.number().int().min(0).meta({ description: 'seconds between two messages of one user; 0 = off' }),
  closed: z.boolean().meta({ description: 'nobody may send while closed' }),
});
export const muteResponse = z.object({ mute: z.object({ roomId: z.string(), userId: z.string(), until: instant }) });
export const banResponse = z.object({ ban: z.object({ roomId: z.string(), userId: z.string() }) });
export const chatSettingsResponse = z.object({ settings: chatSettings });
export const deletedMessageResponse = z.object({ deleted: z.object({ roomId: z.string(), id: z.string() }) });
export const userBan = z.object({ userId: z.string(), at: instant });
export const userBanResponse = z.object({ ban: userBan });
export const userUnbanResponse = z.object({ unbanned: z.object({ userId: z.string() }) });
export const bannedUsersResponse = z.object({ users: z.array(userBan) });
export const meResponse = z.object({ user: chatUser });
export const webhookDelivery = z.object({
  eventId: z.string(), type: z.string(), url: z.string(), state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(), createdAt: instant, nextAttemptAt: instant.nullable(),
  lastStatus: z.number().int().nullable(), lastError: z.string().nullable(),
});
const cohostGuest = z.object({
  slot: z.enum(['g1', 'g2', 'g3']).meta({ description: 'publishes to `rtmp://host:1935/live/<roomId>~<slot>`' }),
  user: chatUser,
});
const cohostRequest = z.object({ user: chatUser, at: instant });
export const cohostsResponse = z.object({
  guests: z.array(cohostGuest).meta({ description: 'the line-up, in slot order' }),
  requests: z.array(cohostRequest).optional().meta({ description: 'pending requests, oldest first: only for the room\'s host or the admin' }),
});
export const cohostPushResponse = z.object({ push: pushTicket, slot: z.enum(['g1', 'g2', 'g3']) });
const videoTrack = { codec: z.string().meta({ description: '`h264` or `aac`' }) };
export const video = z.object({
  id: z.string(), name: z.string().meta({ description: 'the file name in DATA_DIR/vod, also its RTMP name (`vod/<name>`)' }),
  title: z.string(), public: z.boolean(), format: z.enum(['flv', 'mp4']), durationS: z.number(), sizeBytes: z.number().int(),
  video: z.object({ ...videoTrack, width: z.number().int(), height: z.number().int() }).nullable(),
  audio: z.object({ ...videoTrack, sampleRate: z.number().int(), channels: z.number().int() }).nullable(),
  createdAt: instant,
}).meta({ description: 'A library video (H.264 and/or AAC, FLV or MP4).' });
export const videoListResponse = z.object({ videos: z.array(video), nextCursor: z.string().nullable() });
export const videoResponse = z.object({ video });
export const videoPlayResponse = z.object({
  play: z.object({ rtmp: z.string(), hls: z.string(), file: z.string(), expiresAt: instant })
    .meta({ description: 'signed (`?expires=&sign=`) where the video is private; `file` is the original, with Range' }),
});
export const replay = z.object({
  roomId: z.string(), broadcastId: z.string(), title: z.string(), startedAt: instant, endedAt: instant.nullable(),
  durationS: z.number(), public: z.boolean(), hls: z.string(), mp4: z.string(),
}).meta({ description: 'An ended broadcast of a room; hidden ones are listed to the host and admin only, with signed URLs.' });
export const replayListResponse = z.object({ replays: z.array(replay) });
export const replayResponse = z.object({ replay });
export const webhookDeliveriesResponse = z.object({ deliveries: z.array(webhookDelivery), nextCursor: z.string().nullable() });

/** The named schemas of the document's components, by the name typings/ gives their type. */
export const RESPONSE_COMPONENTS = {
  Room: room,
  PushTicket: pushTicket,
  PlayUrls: playUrls,
  ApiErrorBody: apiErrorBody,
  User: user,
  LoginResponse: loginResponse,
  CreateRoomResponse: createRoomResponse,
  RoomResponse: roomResponse,
  RoomListResponse: roomListResponse,
  PushResponse: pushResponse,
  PlayResponse: playResponse,
  HealthResponse: healthResponse,
  StreamStats: streamStats,
  AdminRoom: adminRoom,
  AdminRoomListResponse: adminRoomListResponse,
  AdminStatsResponse: adminStatsResponse,
  ServerHistory: serverHistory,
  StreamHistory: streamHistory,
  StatsHistoryResponse: statsHistoryResponse,
  ChatUser: chatUser,
  ChatMessage: chatMessage,
  MessagePageResponse: messagePageResponse,
  MuteResponse: muteResponse,
  BanResponse: banResponse,
  ChatSettingsResponse: chatSettingsResponse,
  DeletedMessageResponse: deletedMessageResponse,
  UserBan: userBan,
  UserBanResponse: userBanResponse,
  UserUnbanResponse: userUnbanResponse,
  BannedUsersResponse: bannedUsersResponse,
  MeResponse: meResponse,
  WebhookDelivery: webhookDelivery,
  WebhookDeliveriesResponse: webhookDeliveriesResponse,
  CohostsResponse: cohostsResponse,
  CohostPushResponse: cohostPushResponse,
  Video: video,
  VideoListResponse: videoListResponse,
  VideoResponse: videoResponse,
  VideoPlayResponse: videoPlayResponse,
  Replay: replay,
  ReplayListResponse: replayListResponse,
  ReplayResponse: replayResponse,
} as const;
