// The wxlive HTTP contract: one definition shared by the server, the mini-program and the web pages.
// Keep this file free of runtime imports so every client can `import type` it.
import type { GuestPlayUrls } from './cohost';

export type RoomStatus = 'idle' | 'live' | 'ended';

export const ROOM_STATUSES: readonly RoomStatus[] = ['idle', 'live', 'ended'];

/** A live room as every client sees it. Times are ISO-8601, `null` when not reached yet. */
export interface Room {
  id: string;
  title: string;
  cover?: string;
  hostId: string;
  status: RoomStatus;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** Live viewer count (HTTP-FLV + RTMP + recent HLS clients). */
  viewers: number;
}

/** Where and how a host publishes. `url` is `server + "/" + streamKey`; OBS takes the two halves. */
export interface PushTicket {
  url: string;
  server: string;
  streamKey: string;
  expiresAt: string;
}

/** Signed play URLs for one room. */
export interface PlayUrls {
  flv: string;
  rtmp: string;
  hls: string;
  expiresAt: string;
  /** co-hosts on the air (typings/cohost.ts), in slot order; absent or empty when none */
  guests?: GuestPlayUrls[];
}

export interface ApiErrorBody {
  error: {
    code: string; message: string; replay?: string | null;
    /** 429: seconds until the limit lets this client in again (also sent as Retry-After) */
    retryAfterS?: number;
    /** 409 too_many_open_rooms: how many open rooms a host may have */
    limit?: number;
  };
}

export interface User {
  id: string;
  nickname?: string;
}

// ---- requests and responses, one per endpoint ----

export interface LoginRequest { code: string }
export interface LoginResponse { token: string; user: User; expiresAt: string }

export interface CreateRoomRequest { title: string; cover?: string }
export interface CreateRoomResponse { room: Room; push: PushTicket }

export interface RoomResponse { room: Room }

/**
 * `POST /api/rooms/:id/cover`: the body is the image itself, `Content-Type: image/jpeg` or `image/png`, at most
 * COVER_MAX_BYTES; the reply's room has `cover` set to the uploaded image's URL on this server.
 */
export type CoverUploadType = 'image/jpeg' | 'image/png';
export const COVER_MAX_BYTES = 2 * 1024 * 1024;
export type CoverUploadResponse = RoomResponse;
export interface RoomListResponse { rooms: Room[]; nextCursor: string | null }
export interface PushResponse { push: PushTicket }
export interface PlayResponse { play: PlayUrls }

/** 409 `room_ended` body of `GET /api/rooms/:id/play`: where the recording can be watched. */
export interface RoomEndedErrorBody {
  error: { code: 'room_ended'; message: string; replay: string | null };
}

export interface HealthResponse { status: 'ok' }

// ---- admin ----

export interface StreamStats {
  roomId: string;
  publisher: { address: string; since: string } | null;
  video: { codec: string; width: number; height: number; fps: number } | null;
  audio: { codec: string; sampleRate: number; channels: number } | null;
  /** bits per second received from the publisher, averaged over the last few seconds */
  bitrateIn: number;
  viewers: { flv: number; rtmp: number; hls: number; total: number };
  bytesIn: number;
  bytesOut: number;
}

export interface AdminRoom extends Room {
  stream: StreamStats | null;
}

export interface AdminRoomListResponse { rooms: AdminRoom[]; nextCursor: string | null }

export interface AdminStatsResponse {
  uptimeS: number;
  rooms: Record<RoomStatus, number>;
  streams: StreamStats[];
  totals: {
    streams: number;
    publishers: number;
    viewers: number;
    bytesIn: number;
    bytesOut: number;
    bitrateIn: number;
    bitrateOut: number;
  };
}

// ---- admin: stats history (GET /api/admin/stats/history[?roomId=]) ----
// Columns, not rows: each series is an array aligned with its `t`, the form chart libraries (uPlot) draw directly.

export interface StatsHistoryResponse {
  /** seconds between two points */
  intervalS: number;
  /** how far back the history goes, in seconds (the ring buffer holds windowS / intervalS points) */
  windowS: number;
  server: ServerHistory;
  /** every stream with points in the window (one, or none, with ?roomId=), live ones first */
  streams: StreamHistory[];
}

export interface ServerHistory {
  /** Unix time of each point, in seconds */
  t: number[];
  /** CPU time of this process over the interval, % of one core (may pass 100 on several cores) */
  cpuPercent: number[];
  rssBytes: number[];
  /** media bytes sent to viewers per second (HTTP-FLV, HLS, RTMP play) */
  bytesOutPerS: number[];
  /** open HTTP connections (API, players, sockets) */
  httpConnections: number[];
  /** RTMP publishers and players */
  rtmpConnections: number[];
  /** slow viewers dropped during the interval */
  droppedViewers: number[];
}

export interface StreamHistory {
  roomId: string;
  /** still held by the media plane at the last sample; ended streams stay until their last point leaves the window */
  live: boolean;
  /** Unix time of each point, in seconds */
  t: number[];
  /** bits per second from the publisher */
  bitrateIn: number[];
  fps: number[];
  viewers: { flv: number[]; rtmp: number[]; hls: number[] };
  /** slow viewers of this stream dropped during each interval; null when the media plane does not count them per stream */
  droppedViewers: number[] | null;
}

/** Where one webhook event stands for one URL: `pending` (more attempts to come), `delivered`, or `failed` (24 h of retries over). */
export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';
export interface WebhookDelivery {
  /** the event's id: the same on every attempt, for the receiver's dedupe */
  eventId: string;
  type: string;
  url: string;
  state: WebhookDeliveryState;
  attempts: number;
  createdAt: string;
  /** when the next attempt is due; null once delivered or failed */
  nextAttemptAt: string | null;
  /** the receiver's last HTTP status; null when it never answered */
  lastStatus: number | null;
  lastError: string | null;
}
/** `GET /api/admin/webhooks/deliveries`: newest first, `?limit=&cursor=` as the rooms list */
export interface WebhookDeliveriesResponse { deliveries: WebhookDelivery[]; nextCursor: string | null }
