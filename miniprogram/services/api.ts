// The wxlive API (design.md §3) as typed calls; host-only calls go through the session.
import type {
  CreateRoomRequest, CreateRoomResponse, PlayResponse, PlayUrls, PushResponse, PushTicket, Room,
  RoomListResponse, RoomResponse, RoomStatus, User,
} from '../../typings/api';
import type { CohostPushResponse, CohostsResponse } from '../../typings/cohost';
import type { Replay, ReplayListResponse, VideoListResponse, VideoPlayResponse, VideoPlayUrls } from '../../typings/vod';
import { isApiError } from './api-error';
import type { HttpClient } from './http';
import type { Session } from './session';
import { roomPath } from '../lib/urls';

export interface ListRoomsQuery {
  status?: RoomStatus;
  limit?: number;
  cursor?: string;
}

export class WxliveApi {
  constructor(readonly http: HttpClient, readonly session: Session) {}

  listRooms(q: ListRoomsQuery = {}): Promise<RoomListResponse> {
    return this.http.request<RoomListResponse>({
      method: 'GET', path: '/api/rooms', query: { status: q.status, limit: q.limit, cursor: q.cursor },
    });
  }

  async getRoom(id: string): Promise<Room> {
    return (await this.http.request<RoomResponse>({ method: 'GET', path: roomPath(id) })).room;
  }

  createRoom(req: CreateRoomRequest): Promise<CreateRoomResponse> {
    return this.session.withToken((token) =>
      this.http.request<CreateRoomResponse>({ method: 'POST', path: '/api/rooms', body: req, token }));
  }

  /** A fresh signed push URL (after expiry, or to restart after a lost connection). */
  async pushTicket(id: string): Promise<PushTicket> {
    const res = await this.session.withToken((token) =>
      this.http.request<PushResponse>({ method: 'POST', path: roomPath(id, '/push'), token }));
    return res.push;
  }

  /** Signed play URLs; an ended room rejects with ApiError `room_ended` (409) carrying `replay`. */
  async playUrls(id: string): Promise<PlayUrls> {
    return (await this.http.request<PlayResponse>({ method: 'GET', path: roomPath(id, '/play') })).play;
  }

  /** The room's cover, as the image's own bytes (image/jpeg or image/png, at most 2 MB); answers the room. */
  async uploadCover(id: string, image: ArrayBuffer, contentType: 'image/jpeg' | 'image/png'): Promise<Room> {
    const res = await this.session.withToken((token) =>
      this.http.request<RoomResponse>({ method: 'POST', path: roomPath(id, '/cover'), raw: { data: image, contentType }, token }));
    return res.room;
  }

  // ---- chat moderation (the room's host or admin) and the profile ----
  // (answers unused here: the socket's frames show the effect; typings/chat's response types land with the routes)

  deleteMessage(roomId: string, messageId: string): Promise<unknown> {
    return this.session.withToken((token) =>
      this.http.request<unknown>({ method: 'DELETE', path: roomPath(roomId, `/messages/${encodeURIComponent(messageId)}`), token }));
  }

  muteUser(roomId: string, userId: string, minutes: number): Promise<unknown> {
    return this.session.withToken((token) =>
      this.http.request<unknown>({ method: 'POST', path: roomPath(roomId, '/mutes'), body: { userId, minutes }, token }));
  }

  banUser(roomId: string, userId: string): Promise<unknown> {
    return this.session.withToken((token) =>
      this.http.request<unknown>({ method: 'POST', path: roomPath(roomId, '/bans'), body: { userId }, token }));
  }

  /** `PUT /api/me {nickname}` (1–20 characters); the stored session takes the new name. */
  async setNickname(nickname: string): Promise<User> {
    const res = await this.session.withToken((token) =>
      this.http.request<{ user?: User }>({ method: 'PUT', path: '/api/me', body: { nickname }, token }));
    const user = res && res.user && typeof res.user.id === 'string' ? res.user : null;
    this.session.rename(user?.nickname ?? nickname);
    return user ?? { id: this.session.current()?.user.id ?? '', nickname };
  }

  async endRoom(id: string): Promise<Room> {
    const res = await this.session.withToken((token) =>
      this.http.request<RoomResponse>({ method: 'POST', path: roomPath(id, '/end'), token }));
    return res.room;
  }
  // ---- co-hosting (typings/cohost.ts): the line-up, the host's answers, a guest's own push ticket ----

  /** The line-up for anyone; `requests` too for the host. */
  cohosts(roomId: string): Promise<CohostsResponse> {
    return this.session.withToken((token) =>
      this.http.request<CohostsResponse>({ method: 'GET', path: roomPath(roomId, '/cohosts'), token }));
  }

  /** The host takes a pending request (409 `cohost_full`, 404 `cohost_request_not_found`). */
  acceptCohost(roomId: string, userId: string): Promise<CohostsResponse> {
    return this.session.withToken((token) =>
      this.http.request<CohostsResponse>({ method: 'POST', path: roomPath(roomId, '/cohosts'), body: { userId }, token }));
  }

  /** The host declines a request or removes a guest; a guest may remove itself. */
  removeCohost(roomId: string, userId: string): Promise<CohostsResponse> {
    return this.session.withToken((token) =>
      this.http.request<CohostsResponse>({ method: 'DELETE', path: roomPath(roomId, `/cohosts/${encodeURIComponent(userId)}`), token }));
  }

  /** An accepted guest's own signed push URL for its slot (403 `not_cohost` otherwise). */
  cohostPush(roomId: string): Promise<CohostPushResponse> {
    return this.session.withToken((token) =>
      this.http.request<CohostPushResponse>({ method: 'POST', path: roomPath(roomId, '/cohosts/push'), token }));
  }

  // ---- the video library and a room's replays (typings/vod.ts) ----

  /** Public library videos, newest first, one cursor page at a time. */
  videos(cursor?: string | null, limit = 20): Promise<VideoListResponse> {
    return this.http.request<VideoListResponse>({ method: 'GET', path: '/api/videos', query: { limit, cursor } });
  }

  /** A video's HLS, RTMP and original-file URLs (signed where it is private). */
  async videoPlay(id: string): Promise<VideoPlayUrls> {
    return (await this.http.request<VideoPlayResponse>({ method: 'GET', path: `/api/videos/${encodeURIComponent(id)}/play` })).play;
  }

  /**
   * A room's replays, newest first. A signed-in viewer sends its token (its own room's hidden replays come too),
   * but nobody is made to sign in for a public list; a token the server no longer takes is dropped, not retried.
   */
  async replays(roomId: string): Promise<Replay[]> {
    const get = (token?: string) => this.http.request<ReplayListResponse>({ method: 'GET', path: roomPath(roomId, '/replays'), token });
    const token = this.session.current()?.token;
    try {
      return (await get(token)).replays;
    } catch (e) {
      if (!token || !isApiError(e) || e.status !== 401) throw e;
      this.session.clear();
      return (await get()).replays;
    }
  }
}
