// One room's chat for a page: the socket (services/room-socket), the lines (lib/chat-feed), batched likes
// (lib/like-batcher), the like total and viewers from frames; the page only renders what it is handed.
import type { RoomStatus } from '../../typings/api';
import type { ChatSettings, ChatUser, NoticeCode, SayFrame, ServerFrame } from '../../typings/chat';
import type { CohostDeclineReason, CohostGuest, CohostRequest } from '../../typings/cohost';
import type { BackoffPolicy } from '../lib/backoff';
import { ChatFeed, type ChatLine } from '../lib/chat-feed';
import { NONCE_MAX_CHARS, SAY_MAX_CHARS } from '../lib/chat-limits';
import { REFUSALS } from '../lib/chat-text';
import { LikeBatcher } from '../lib/like-batcher';
import { socketUrl } from '../lib/urls';
import { RoomSocket, type SocketEvent, type SocketPort } from './room-socket';

export interface ChatView {
  lines: ChatLine[];
  likes: number;
  /** null until the first hello */
  viewers: number | null;
  you: ChatUser | null;
  settings: ChatSettings;
}

export interface ChatListener {
  onView(view: ChatView): void;
  onNotice(code: NoticeCode | string): void;
  /** the room went live or ended (`gone`, close 4004, counts as ended) */
  onRoomState(status: RoomStatus): void;
  onConnection(event: SocketEvent): void;
  /** co-hosting: the line-up (everyone, after every hello and on each change) */
  onCohosts?(guests: CohostGuest[]): void;
  /** co-hosting: the pending requests (the host's sockets only) */
  onCohostRequests?(requests: CohostRequest[]): void;
  /** co-hosting: our request was declined, or expired unanswered (our sockets only) */
  onCohostDeclined?(reason: CohostDeclineReason): void;
}

export interface RoomChatOptions {
  roomId: string;
  apiBase: string;
  wx: () => SocketPort;
  retry: BackoffPolicy;
  likeWindowMs: number;
  maxLines: number;
  /** the session token, null for a guest (read again on every reconnect) */
  token: () => string | null;
  listener: ChatListener;
}

export type SayResult = 'sent' | 'empty' | 'too_long' | 'sign_in' | 'offline';

let nonces = 0;
const nextNonce = () => `${Date.now().toString(36)}-${(nonces += 1)}`.slice(0, NONCE_MAX_CHARS);

export class RoomChat {
  private readonly feed: ChatFeed;
  private readonly socket: RoomSocket;
  private readonly likes: LikeBatcher;
  private you: ChatUser | null = null;
  private total = 0;
  private viewers: number | null = null;
  private settings: ChatSettings = { slowModeS: 0, closed: false };
  /** says written while the `auth` frame is on its way: sent once the hello names the user */
  private outbox: SayFrame[] = [];
  private authPending = false;

  constructor(private readonly opts: RoomChatOptions) {
    this.feed = new ChatFeed(opts.maxLines);
    this.likes = new LikeBatcher(opts.likeWindowMs, (count) => { this.socket.send({ type: 'like', count }); });
    this.socket = new RoomSocket({
      url: socketUrl(opts.apiBase, opts.roomId), wx: opts.wx, retry: opts.retry, token: opts.token,
      onFrame: (f) => this.onFrame(f),
      onEvent: (e) => this.onEvent(e),
    });
  }

  get signedIn(): boolean { return this.you !== null || this.authPending; }

  start(): void { this.socket.start(); }
  /** background: unsent likes are dropped with the socket */
  pause(): void { this.likes.cancel(); this.socket.pause(); }
  resume(): void { this.socket.resume(); }
  stop(): void { this.likes.cancel(); this.socket.stop(); }

  /** Signed in after the socket opened as a guest: a later `auth` frame switches the socket (a new hello). */
  authenticate(token: string): void {
    this.authPending = true;
    this.socket.send({ type: 'auth', token });
  }

  say(raw: string): SayResult {
    const text = raw.trim();
    if (!text) return 'empty';
    if (Array.from(text).length > SAY_MAX_CHARS) return 'too_long';
    if (!this.signedIn) return 'sign_in';
    if (!this.socket.connected) return 'offline';
    const frame: SayFrame = { type: 'say', text, nonce: nextNonce() };
    if (this.you) this.socket.send(frame);
    else this.outbox.push(frame);
    this.feed.addPending(frame.nonce!, text, this.you);
    this.emit();
    return 'sent';
  }

  /** Ask to join the host / withdraw or leave (typings/cohost.ts); false when the socket is not open. */
  requestCohost(): boolean { return this.socket.send({ type: 'cohost_request' }); }
  leaveCohost(): boolean { return this.socket.send({ type: 'cohost_leave' }); }

  /** the signed-in user as the last hello named it */
  get user(): ChatUser | null { return this.you; }

  /** One tap: the total moves at once, the frame goes with the next batch. */
  like(): void {
    this.total += 1;
    this.likes.tap();
    this.emit();
  }

  private onFrame(f: ServerFrame): void {
    switch (f.type) {
      case 'hello':
        this.you = f.you;
        if (f.you) this.authPending = false;
        this.total = Math.max(this.total, f.likes);
        this.viewers = f.viewers;
        this.settings = f.settings;
        this.feed.history(f.history, f.you?.id ?? null);
        if (f.you) for (const say of this.outbox.splice(0)) this.socket.send(say);
        this.emit();
        if (f.room.status === 'ended') this.opts.listener.onRoomState('ended');
        return;
      case 'message':
        if (this.feed.message(f, this.you?.id ?? null) || f.nonce) this.emit();
        return;
      case 'deleted':
        this.feed.deleted(f.id);
        this.emit();
        return;
      case 'likes':
        // our own taps are in the total already (shown at once): never step back below them
        this.total = Math.max(this.total, f.total);
        this.emit();
        return;
      case 'viewers':
        this.viewers = f.count;
        this.emit();
        return;
      case 'settings':
        this.settings = { slowModeS: f.slowModeS, closed: f.closed };
        this.emit();
        return;
      case 'state':
        this.opts.listener.onRoomState(f.status);
        return;
      case 'notice':
        if (REFUSALS.has(f.code)) this.feed.dropOldestPending();
        if (f.code === 'auth_failed') this.authPending = false;
        this.emit();
        this.opts.listener.onNotice(f.code);
        return;
      case 'cohosts':
        this.opts.listener.onCohosts?.(f.guests);
        return;
      case 'cohost_requests':
        this.opts.listener.onCohostRequests?.(f.requests);
        return;
      case 'cohost_declined':
        this.opts.listener.onCohostDeclined?.(f.reason);
        return;
      default:
        return; // a frame type from a newer server
    }
  }

  private onEvent(e: SocketEvent): void {
    if (e === 'gone') this.opts.listener.onRoomState('ended');
    if (e === 'banned') this.opts.listener.onNotice('banned');
    this.opts.listener.onConnection(e);
  }

  private emit(): void {
    this.opts.listener.onView({ lines: this.feed.lines(), likes: this.total, viewers: this.viewers, you: this.you, settings: this.settings });
  }
}
