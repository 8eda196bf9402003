// One socket in a room: sign-in by its first frame, the hello, and its frames handled one at a time in order.
import { randomUUID } from 'node:crypto';
import type { ChatUser, NoticeCode, NoticeFrame } from '../../typings/chat';
import { BAD_FRAMES_ALLOWED, CLOSE_BAD_FRAMES, CLOSE_BANNED, CLOSE_ROOM_GONE } from '../../typings/chat';
import { parseClientFrame } from './client-frames';
import type { ChatClient } from './ports';
import type { ChannelMember, RoomChannel } from './room-channel';
import type { SayOutcome } from './chat-service';

/** What a session asks of the service. */
export interface SessionHost {
  readonly authWaitMs: number;
  join(roomId: string, member: ChannelMember): Promise<RoomChannel | null>;
  leave(channel: RoomChannel, member: ChannelMember): void;
  /**
   * the user behind a session token (nickname as stored); 'banned' when banned from this room or everywhere;
   * 'admin' for the ADMIN_TOKEN (the admin console: reads as a guest, and sees the co-hosting requests)
   */
  verify(roomId: string, token: string): Promise<ChatUser | null | 'banned' | 'admin'>;
  like(channel: RoomChannel, session: ChatSession, count: number): void;
  say(channel: RoomChannel, session: ChatSession, text: string, nonce: string | undefined): Promise<SayOutcome>;
  /** co-hosting frames: a notice for the sender, or none */
  cohost(channel: RoomChannel, session: ChatSession, what: 'request' | 'leave'): Promise<CohostNotice | null>;
}

export interface CohostNotice { code: NoticeCode; message: string; retryAfterMs?: number }

/** The socket layer's handle on one connection. */
export interface ChatConnection {
  /** a text frame; null for a binary one (never valid) */
  receive(text: string | null): void;
  /** the socket is gone (closed by either side) */
  closed(): void;
}

export class ChatSession implements ChannelMember, ChatConnection {
  readonly id = randomUUID();
  user: ChatUser | null = null;
  admin = false;
  greeted = false;
  private badFrames = 0;
  private over = false;
  private channel: RoomChannel | null = null;
  private chain: Promise<void>;
  private readonly authTimer: NodeJS.Timeout;

  constructor(private readonly host: SessionHost, readonly roomId: string, private readonly client: ChatClient) {
    this.chain = this.joinRoom();
    // a guest that says nothing is greeted after a short wait; an auth frame before that is greeted at once
    this.authTimer = setTimeout(() => this.enqueue(async () => this.greet()), host.authWaitMs).unref();
  }

  receive(text: string | null): void {
    if (this.over) return;
    this.enqueue(() => this.handle(text));
  }

  closed(): void {
    if (this.over && !this.channel) return;
    this.over = true;
    clearTimeout(this.authTimer);
    if (this.channel) this.host.leave(this.channel, this);
    this.channel = null;
  }

  sendRaw(json: string): void {
    if (!this.over) this.client.send(json);
  }

  end(code: number, reason: string): void {
    if (this.over) return;
    this.client.close(code, reason);
    this.closed();
  }

  notice(code: NoticeCode, message: string, retryAfterMs?: number): void {
    const frame: NoticeFrame = retryAfterMs === undefined ? { type: 'notice', code, message } : { type: 'notice', code, message, retryAfterMs };
    this.sendRaw(JSON.stringify(frame));
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(() => (this.over ? undefined : step())).catch(() => undefined);
  }

  private async joinRoom(): Promise<void> {
    const channel = await this.host.join(this.roomId, this).catch(() => null);
    if (this.over) {
      if (channel) this.host.leave(channel, this);
      return;
    }
    if (!channel) return this.end(CLOSE_ROOM_GONE, 'no such room, or it has ended');
    this.channel = channel;
  }

  /** Sends the hello (again after a later sign-in). */
  private greet(): void {
    clearTimeout(this.authTimer);
    if (!this.channel || this.over) return;
    this.sendRaw(JSON.stringify(this.channel.hello(this.user)));
    for (const json of this.channel.afterHello(this.user, this.admin)) this.sendRaw(json);
    this.greeted = true;
  }

  private async handle(text: string | null): Promise<void> {
    const parsed = text === null ? { ok: false as const, bad: true as const, message: 'Frames must be JSON text.' } : parseClientFrame(text);
    if (parsed.ok && parsed.frame.type === 'auth') {
      const user = await this.host.verify(this.roomId, parsed.frame.token);
      if (user === 'banned') {
        this.notice('banned', 'You are banned from this room.');
        return this.end(CLOSE_BANNED, 'banned');
      }
      this.admin = user === 'admin';
      if (user === 'admin') this.user = null;
      else if (user) this.user = user;
      else this.notice('auth_failed', 'The session token is invalid or expired; sign in again. You are a guest for now.');
      return this.greet();
    }
    if (!this.greeted) this.greet();
    if (!parsed.ok) {
      if (!parsed.bad) return this.notice('invalid_frame', parsed.message);
      if (++this.badFrames > BAD_FRAMES_ALLOWED) return this.end(CLOSE_BAD_FRAMES, 'too many bad frames');
      return this.notice('bad_frame', parsed.message);
    }
    const channel = this.channel;
    if (!channel) return;
    const frame = parsed.frame;
    if (frame.type === 'like') return this.host.like(channel, this, frame.count);
    if (frame.type === 'cohost_request' || frame.type === 'cohost_leave') {
      const notice = await this.host.cohost(channel, this, frame.type === 'cohost_request' ? 'request' : 'leave');
      if (notice) this.notice(notice.code, notice.message, notice.retryAfterMs);
      return;
    }
    if (frame.type === 'say') {
      const outcome = await this.host.say(channel, this, frame.text, frame.nonce);
      if (outcome !== 'sent') this.notice(outcome.code, outcome.message, outcome.retryAfterMs);
    }
  }
}
