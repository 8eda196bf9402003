// The room socket contract (issue 13): `GET /api/rooms/:id/socket` upgraded to a WebSocket, one JSON object
// per text frame. Shared by the server, the mini-program, the H5 page and the admin console: keep it free of
// runtime imports so every client can `import type` it (the constants below are plain values).
import type { RoomStatus } from './api';
import type { CohostDeclinedFrame, CohostLeaveFrame, CohostRequestFrame, CohostRequestsFrame, CohostsFrame } from './cohost';

/** Who wrote a message, or who this socket is signed in as. */
export interface ChatUser { id: string; nickname: string }

/** One chat message (弹幕). `at` is ISO-8601; ids sort by time (newer ids compare greater). */
export interface ChatMessage {
  id: string;
  user: ChatUser;
  text: string;
  at: string;
}

/** The room's chat settings (changed by the host or admin). */
export interface ChatSettings {
  /** seconds a user waits between two messages on top of the rate limit; 0 = off */
  slowModeS: number;
  /** nobody may send while closed */
  closed: boolean;
}

/** Why a `notice` was sent to one client. */
export type NoticeCode =
  | 'muted' | 'rate_limited' | 'content_rejected' | 'slow_mode' | 'banned' | 'bad_frame'
  /** a guest (no `auth` frame, or a bad token) tried to send */
  | 'auth_required'
  /** the `auth` token is invalid or expired: the socket stays a guest */
  | 'auth_failed'
  /** `say` text empty after trim or longer than SAY_MAX_CHARS; `like` count outside 1–LIKE_MAX_PER_FRAME */
  | 'invalid_frame'
  | 'chat_closed'
  /** the server could not store the message (database unavailable): try again */
  | 'unavailable'
  /** co-hosting (typings/cohost.ts): the request is pending / the line-up is full / the room is not live / no request to withdraw */
  | 'cohost_requested' | 'cohost_full' | 'cohost_not_live' | 'cohost_not_found';

// ---- server → client ----

export interface HelloFrame {
  type: 'hello';
  room: { id: string; title: string; hostId: string; status: RoomStatus };
  /** null for a read-only guest */
  you: ChatUser | null;
  viewers: number;
  likes: number;
  /** the last HISTORY_SIZE messages, oldest first */
  history: ChatMessage[];
  settings: ChatSettings;
}

/** A new message; the sender's own copy (its echo) carries the `nonce` it sent. */
export interface MessageFrame extends ChatMessage { type: 'message'; nonce?: string }
export interface DeletedFrame { type: 'deleted'; id: string }
/** The room's like total; at most LIKES_PER_SECOND frames per second. */
export interface LikesFrame { type: 'likes'; total: number }
/** The live viewer count, on change, at most one frame per VIEWERS_EVERY_MS. */
export interface ViewersFrame { type: 'viewers'; count: number }
/** The room went live or ended (an `ended` state is followed by the close, code CLOSE_ROOM_GONE). */
export interface StateFrame { type: 'state'; status: RoomStatus }
export interface SettingsFrame extends ChatSettings { type: 'settings' }
export interface NoticeFrame {
  type: 'notice';
  code: NoticeCode;
  message: string;
  /** rate_limited / slow_mode / muted: when sending may work again */
  retryAfterMs?: number;
}

export type ServerFrame =
  | HelloFrame | MessageFrame | DeletedFrame | LikesFrame | ViewersFrame | StateFrame | SettingsFrame | NoticeFrame
  | CohostsFrame | CohostRequestsFrame | CohostDeclinedFrame;

// ---- client → server ----

/** Must be the first frame to sign in (never put the token in the URL); later ones switch user and get a new hello. */
export interface AuthFrame { type: 'auth'; token: string }
export interface SayFrame { type: 'say'; text: string; nonce?: string }
export interface LikeFrame { type: 'like'; count: number }

export type ClientFrame = AuthFrame | SayFrame | LikeFrame | CohostRequestFrame | CohostLeaveFrame;

// ---- limits and close codes ----

/** a frame larger than this closes the socket with CLOSE_TOO_LARGE */
export const MAX_FRAME_BYTES = 4096;
export const SAY_MAX_CHARS = 200;
/** `PUT /api/rooms/:id/chat` slowModeS is 0–SLOW_MODE_MAX_S */
export const SLOW_MODE_MAX_S = 3600;
/** `POST /api/rooms/:id/mutes` minutes are 1–MUTE_MAX_MINUTES (30 days) */
export const MUTE_MAX_MINUTES = 43_200;
/** nicknames (`PUT /api/me`, `POST /api/auth/guest`) are 1–NICKNAME_MAX_CHARS characters after trim */
export const NICKNAME_MAX_CHARS = 20;
export const NONCE_MAX_CHARS = 64;
export const LIKE_MAX_PER_FRAME = 50;
export const HISTORY_SIZE = 50;
export const LIKES_PER_SECOND = 4;
/** like frames one socket may send per second (burst twice that); more are dropped: clients batch taps into `count` */
export const LIKE_FRAMES_PER_SECOND = 10;
export const VIEWERS_EVERY_MS = 2000;
/** a guest that sends nothing gets its hello after this long (an `auth` frame earlier gets it at once) */
export const AUTH_WAIT_MS = 500;
/** bad frames (not JSON, unknown type) a socket may send; the next one closes it with CLOSE_BAD_FRAMES */
export const BAD_FRAMES_ALLOWED = 2;

export const CLOSE_GOING_AWAY = 1001;
/** the third bad frame (policy violation) */
export const CLOSE_BAD_FRAMES = 1008;
export const CLOSE_TOO_LARGE = 1009;
export const CLOSE_BANNED = 4001;
/** the room ended, was deleted, or never existed */
export const CLOSE_ROOM_GONE = 4004;

// ---- REST ----

/** `POST /api/rooms/:id/mutes {userId, minutes}` (host or admin): the user's messages are refused until `until`. */
export interface MuteRequest { userId: string; minutes: number }
export interface MuteResponse { mute: { roomId: string; userId: string; until: string } }
/** `POST /api/rooms/:id/bans {userId}` (host or admin): refused in the room, its sockets closed with CLOSE_BANNED. */
export interface BanRequest { userId: string }
export interface BanResponse { ban: { roomId: string; userId: string } }
/** `PUT /api/rooms/:id/chat {slowModeS, closed}` (host or admin): broadcast as a `settings` frame. */
export type ChatSettingsRequest = ChatSettings;
export interface ChatSettingsResponse { settings: ChatSettings }
/** `DELETE /api/rooms/:id/messages/:messageId` (host or admin): broadcast as a `deleted` frame. */
export interface DeletedMessageResponse { deleted: { roomId: string; id: string } }
/** `POST /api/admin/users/:id/ban`: banned in every room, may not create rooms or sign in. */
export interface UserBan { userId: string; at: string }
export interface UserBanResponse { ban: UserBan }
/** `DELETE /api/admin/users/:id/ban` */
export interface UserUnbanResponse { unbanned: { userId: string } }
/** `GET /api/admin/users/banned`: newest ban first */
export interface BannedUsersResponse { users: UserBan[] }
/** `PUT /api/me {nickname}` */
export interface NicknameRequest { nickname: string }
export interface MeResponse { user: ChatUser }
/** `POST /api/auth/guest {nickname}` (H5 page; GUEST_CHAT=on): a session that may chat; answered like a login. */
export interface GuestRequest { nickname: string }

/** `GET /api/rooms/:id/messages?before=<messageId>&limit=` (1–100, default 50): newest first. */
export interface MessagePageResponse {
  messages: ChatMessage[];
  /** pass as `before` for the next (older) page; null on the last page */
  nextBefore: string | null;
}
