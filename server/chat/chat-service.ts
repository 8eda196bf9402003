// Room chat rules (issue 13), without HTTP or a socket library: who may send, how fast, what is stored and
// broadcast through the RoomBus, and what the room's lifecycle does to its sockets.
import type { Logger } from 'pino';
import type { ChatMessage, ChatUser, NoticeCode } from '../../typings/chat';
import { AUTH_WAIT_MS, CLOSE_GOING_AWAY, LIKE_FRAMES_PER_SECOND, LIKES_PER_SECOND, VIEWERS_EVERY_MS } from '../../typings/chat';
import { RoomNotFound } from '../errors';
import { NO_VIEWERS, type ViewerCounter } from '../rooms/ports';
import type { RoomEvents } from '../rooms/room-service';
import type { ChatStore } from '../store/chat-store';
import { chatUser, toChatMessage } from './chat-message';
import { OffFilter, type ContentFilter, type FilterVerdict } from './content-filter/content-filter';
import { ChatModeration } from './chat-moderation';
import { ChatSession, type ChatConnection, type CohostNotice, type SessionHost } from './chat-session';
import { newMessageId } from './message-ids';
import type { ChatClient, ChatCohosts, ChatRooms, SessionVerifier } from './ports';
import { GUEST_ID_PREFIX } from './user-gate';
import type { RoomBus } from './room-bus';
import { RoomChannel, type ChannelMember } from './room-channel';
import { SendRateLimiter, type SendRate } from './send-rate';
import { SlowMode } from './slow-mode';

export interface ChatServiceOptions {
  rooms: ChatRooms;
  store: ChatStore;
  bus: RoomBus;
  sessions: SessionVerifier;
  /** every message is checked before it is stored or broadcast (CHAT_FILTER); none without */
  filter?: ContentFilter;
  /** the media's live viewer counts (viewers frames); none without */
  viewers?: ViewerCounter;
  /** co-hosting (issue 15): cohost_request / cohost_leave frames and the line-up after each hello; none without */
  cohosts?: ChatCohosts;
  /** true for the ADMIN_TOKEN: such a socket reads as a guest and gets the host's cohost_requests (the admin console) */
  isAdminToken?: (token: string) => boolean;
  /** cohost_request frames per user (default 1 per 5 s) */
  cohostRequestRate?: SendRate;
  /** messages per user per room (default 1 per second, burst 5) */
  sendRate?: SendRate;
  authWaitMs?: number;
  likesEveryMs?: number;
  viewersEveryMs?: number;
  log?: Logger;
  now?: () => number;
}

export const DEFAULT_SEND_RATE: SendRate = { perSecond: 1, burst: 5 };
/** one request per user every 5 s: each one reaches the host's screen */
export const DEFAULT_COHOST_REQUEST_RATE: SendRate = { perSecond: 0.2, burst: 1 };

export type SayOutcome = 'sent' | { code: NoticeCode; message: string; retryAfterMs?: number };

export interface MessagePage { messages: ChatMessage[]; nextBefore: string | null }

export class ChatService implements SessionHost {
  readonly authWaitMs: number;
  /** what the host and the admin do to the chat (the REST routes) */
  readonly moderation: ChatModeration;
  private readonly slowMode: SlowMode;
  private readonly cohostRequests: SendRateLimiter;
  /** cohost_leave frames per user: each one is a store round trip */
  private readonly cohostLeaves: SendRateLimiter;
  private readonly channels = new Map<string, RoomChannel>();
  private readonly limiter: SendRateLimiter;
  /** like frames per socket: a script cannot pump the total at wire speed */
  private readonly likeLimiter: SendRateLimiter;
  private readonly now: () => number;
  private readonly detach: () => void;
  private readonly filter: ContentFilter;
  /** the WeChat openid of a signed-in socket's user (never sent in a frame) */
  private readonly openids = new WeakMap<ChatUser, string>();

  constructor(private readonly opts: ChatServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.filter = opts.filter ?? new OffFilter();
    this.authWaitMs = opts.authWaitMs ?? AUTH_WAIT_MS;
    this.limiter = new SendRateLimiter(opts.sendRate ?? DEFAULT_SEND_RATE, this.now);
    this.likeLimiter = new SendRateLimiter({ perSecond: LIKE_FRAMES_PER_SECOND, burst: 2 * LIKE_FRAMES_PER_SECOND }, this.now);
    this.slowMode = new SlowMode(this.now);
    this.cohostRequests = new SendRateLimiter(opts.cohostRequestRate ?? DEFAULT_COHOST_REQUEST_RATE, this.now);
    this.cohostLeaves = new SendRateLimiter({ perSecond: 1, burst: 3 }, this.now);
    this.moderation = new ChatModeration({
      rooms: opts.rooms, store: opts.store, bus: opts.bus, now: this.now, localRooms: () => this.channels.keys(), cohosts: opts.cohosts,
    });
    // the node that sees a room change tells every node's sockets, through the bus
    const { bus, rooms } = opts;
    const publish = (roomId: string, e: Parameters<RoomBus['publish']>[1]) =>
      bus.publish(roomId, e).catch((err: unknown) => this.fail(err, 'publishing room state'));
    const onLive: (...a: RoomEvents['live']) => void = (room, resumed) => { if (!resumed) void publish(room.id, { kind: 'state', status: 'live' }); };
    const onEnded: (...a: RoomEvents['ended']) => void = (room) => { void publish(room.id, { kind: 'state', status: 'ended' }); };
    const onDeleted: (...a: RoomEvents['deleted']) => void = (id) => {
      void publish(id, { kind: 'gone' });
      opts.store.deleteRoom(id).catch((err: unknown) => this.fail(err, 'deleting the chat of a deleted room'));
    };
    rooms.events.on('live', onLive);
    rooms.events.on('ended', onEnded);
    rooms.events.on('deleted', onDeleted);
    this.detach = () => {
      rooms.events.off('live', onLive);
      rooms.events.off('ended', onEnded);
      rooms.events.off('deleted', onDeleted);
    };
  }

  /** A socket opened on `roomId`: closed with CLOSE_ROOM_GONE when the room does not exist or has ended. */
  connect(roomId: string, client: ChatClient): ChatConnection {
    return new ChatSession(this, roomId, client);
  }

  /** Scroll-back, newest first: up to `limit` messages older than `before` (a message id). */
  async messages(roomId: string, q: { before?: string; limit: number }): Promise<MessagePage> {
    if (!await this.opts.rooms.find(roomId)) throw new RoomNotFound(roomId);
    // one extra row tells whether an older page exists
    const rows = await this.opts.store.listMessages(roomId, { before: q.before, limit: q.limit + 1 });
    const messages = rows.slice(0, q.limit).map(toChatMessage);
    return { messages, nextBefore: rows.length > q.limit ? messages[messages.length - 1]!.id : null };
  }

  /** Sets the user's nickname (already checked): shown from their next chat sign-in on. */
  async setNickname(userId: string, nickname: string): Promise<ChatUser> {
    await this.opts.store.setNickname(userId, nickname);
    return { id: userId, nickname };
  }

  /** sockets connected on this node, per room (for stats and tests) */
  sockets(roomId: string): number {
    return this.channels.get(roomId)?.members.size ?? 0;
  }

  /** Closes every socket (server shutdown) and stops listening to the rooms. */
  async close(): Promise<void> {
    this.detach();
    for (const channel of [...this.channels.values()]) {
      for (const m of [...channel.members]) m.end(CLOSE_GOING_AWAY, 'server shutting down');
    }
  }

  // ---- SessionHost ----

  async join(roomId: string, member: ChannelMember): Promise<RoomChannel | null> {
    const room = await this.opts.rooms.find(roomId);
    if (!room || room.status === 'ended') return null;
    let channel = this.channels.get(roomId);
    if (!channel) {
      channel = new RoomChannel(room, {
        store: this.opts.store, bus: this.opts.bus, viewers: this.opts.viewers ?? NO_VIEWERS,
        likesEveryMs: this.opts.likesEveryMs ?? 1000 / LIKES_PER_SECOND,
        viewersEveryMs: this.opts.viewersEveryMs ?? VIEWERS_EVERY_MS,
        onError: (err, what) => this.fail(err, what), cohosts: this.opts.cohosts,
      });
      this.channels.set(roomId, channel);
    }
    channel.members.add(member);
    await channel.ready;
    return channel;
  }

  leave(channel: RoomChannel, member: ChannelMember): void {
    channel.members.delete(member);
    if (channel.members.size === 0 && this.channels.get(channel.roomId) === channel) {
      this.channels.delete(channel.roomId);
      channel.dispose();
    }
  }

  async verify(roomId: string, token: string): Promise<ChatUser | null | 'banned' | 'admin'> {
    if (this.opts.isAdminToken?.(token)) return 'admin';
    const user = this.opts.sessions.verify(token);
    if (!user) return null;
    const you = (u: ChatUser) => {
      if (user.openid) this.openids.set(u, user.openid);
      return u;
    };
    try {
      const [r, nickname] = await Promise.all([this.opts.store.restrictions(roomId, user.id), this.opts.store.nickname(user.id)]);
      if (r.roomBan || r.userBan) return 'banned';
      return you(chatUser(nickname ? { id: user.id, nickname } : user));
    } catch (err) {
      this.fail(err, 'reading a user\'s bans and nickname'); // every say reads the bans again
      return you(chatUser(user));
    }
  }

  like(channel: RoomChannel, session: ChatSession, count: number): void {
    if (this.likeLimiter.take(session.id) === 0) channel.addLikes(count);
  }

  async say(channel: RoomChannel, session: ChatSession, text: string, nonce: string | undefined): Promise<SayOutcome> {
    const user = session.user;
    if (!user) return { code: 'auth_required', message: 'Sign in to chat: send {"type":"auth","token":…} first.' };
    const refused = await this.refusal(channel, user.id);
    if (refused) return refused;
    const key = `${channel.roomId}\n${user.id}`;
    const slow = this.slowMode.wait(key, channel.chatSettings.slowModeS);
    if (slow > 0) {
      return { code: 'slow_mode', message: `Slow mode: one message every ${channel.chatSettings.slowModeS} s.`, retryAfterMs: slow };
    }
    const wait = this.limiter.take(key);
    if (wait > 0) return { code: 'rate_limited', message: 'You are sending messages too fast.', retryAfterMs: wait };
    this.slowMode.sent(key);
    // after the rate limit, so a script cannot probe the filter (or spend WeChat's quota) at wire speed
    const verdict = await this.filter.check({ text, scene: 'message', openid: this.openids.get(user) });
    if (!verdict.allowed) {
      this.opts.log?.info({ roomId: channel.roomId, userId: user.id, reason: verdict.reason }, 'chat: message refused by the content filter');
      return verdict.reason === 'unavailable'
        ? { code: 'content_rejected', message: 'The message could not be checked right now, so it was not sent; try again shortly.' }
        : { code: 'content_rejected', message: 'The message was not sent: it did not pass the content check.' };
    }
    const at = this.now();
    const record = { id: newMessageId(at), roomId: channel.roomId, userId: user.id, nickname: user.nickname, text, at };
    try {
      await this.opts.store.addMessage(record);
    } catch (err) {
      this.fail(err, 'storing a message');
      return { code: 'unavailable', message: 'The message could not be stored; try again shortly.' };
    }
    await this.opts.bus.publish(channel.roomId, { kind: 'message', message: toChatMessage(record), from: session.id, nonce });
    return 'sent';
  }

  async cohost(channel: RoomChannel, session: ChatSession, what: 'request' | 'leave'): Promise<CohostNotice | null> {
    const user = session.user;
    // a guest session of the H5 page may chat, but only a signed-in WeChat user may go on the air
    if (!user || user.id.startsWith(GUEST_ID_PREFIX)) {
      return { code: 'auth_required', message: 'Sign in to join the host: send {"type":"auth","token":…} first.' };
    }
    const cohosts = this.opts.cohosts;
    if (!cohosts) return { code: 'invalid_frame', message: 'Co-hosting is not offered here.' };
    const wait = (what === 'request' ? this.cohostRequests : this.cohostLeaves).take(user.id);
    if (wait > 0) return { code: 'rate_limited', message: 'You are asking too often; wait a moment.', retryAfterMs: wait };
    try {
      if (what === 'leave') return await cohosts.leave(channel.roomId, user.id);
      const r = await this.opts.store.restrictions(channel.roomId, user.id);
      if (r.userBan || r.roomBan) return { code: 'banned', message: 'You are banned from this room.' };
      return await cohosts.request(channel.roomId, user);
    } catch (err) {
      this.fail(err, `a co-hosting ${what}`);
      return { code: 'unavailable', message: 'That could not be done right now; try again shortly.' };
    }
  }

  /** Why `userId` may not send in the room now (banned, muted, chat closed), read from the store before every message. */
  private async refusal(channel: RoomChannel, userId: string): Promise<Exclude<SayOutcome, 'sent'> | null> {
    let r;
    try {
      r = await this.opts.store.restrictions(channel.roomId, userId);
    } catch (err) {
      this.fail(err, 'reading a user\'s bans');
      return { code: 'unavailable', message: 'The message could not be checked; try again shortly.' };
    }
    if (r.userBan || r.roomBan) return { code: 'banned', message: 'You are banned from this room.' };
    const mutedFor = (r.mutedUntil ?? 0) - this.now();
    if (mutedFor > 0) return { code: 'muted', message: 'You are muted in this room.', retryAfterMs: mutedFor };
    if (channel.chatSettings.closed) return { code: 'chat_closed', message: 'The host has closed the chat.' };
    return null;
  }

  /** A nickname (PUT /api/me, guest sign-in) through the same check, scene 1. */
  checkNickname(nickname: string, openid?: string): Promise<FilterVerdict> {
    return this.filter.check({ text: nickname, scene: 'nickname', openid });
  }

  private fail(err: unknown, what: string): void {
    this.opts.log?.error({ err }, `chat: ${what} failed`);
  }
}
