// The room socket (typings/chat.ts) over wx.connectSocket: `auth` as the first frame when signed in (never the
// token in the URL), frames parsed, reconnect with backoff after a drop (lib/backoff), none after 4001 banned
// or 4004 room gone; pause() in the background closes it, resume() opens a new one.
import type { ClientFrame, ServerFrame } from '../../typings/chat';
import { CLOSE_BANNED, CLOSE_ROOM_GONE } from '../lib/chat-limits';
import { RetryBudget, type BackoffPolicy } from '../lib/backoff';

/** The slice of wx.SocketTask used here (app.ts checks that the real one fits). */
export interface SocketTaskPort {
  send(o: { data: string; fail?: (e: { errMsg: string }) => void }): void;
  close(o: { code?: number; reason?: string }): void;
  onOpen(cb: (res: unknown) => void): void;
  onMessage(cb: (res: { data: string | ArrayBuffer }) => void): void;
  onClose(cb: (res: { code: number; reason: string }) => void): void;
  onError(cb: (res: { errMsg: string }) => void): void;
}

export interface ConnectSocketOptions {
  url: string;
  fail?: (e: { errMsg: string }) => void;
}

export interface SocketPort {
  connectSocket(o: ConnectSocketOptions): SocketTaskPort;
}

/** open: connected (a hello follows); retrying: dropped, the next try is scheduled; the rest are final until resume(). */
export type SocketEvent = 'open' | 'retrying' | 'gave-up' | 'gone' | 'banned';

export interface RoomSocketOptions {
  url: string;
  wx: () => SocketPort;
  retry: BackoffPolicy;
  /** the session token for the `auth` frame, null for a read-only guest */
  token: () => string | null;
  onFrame(frame: ServerFrame): void;
  onEvent(event: SocketEvent): void;
  random?: () => number;
}

export class RoomSocket {
  private task: SocketTaskPort | null = null;
  private isOpen = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private paused = false;
  private stopped = true;
  /** 4001 / 4004: trying again cannot help */
  private final = false;
  private readonly budget: RetryBudget;

  constructor(private readonly opts: RoomSocketOptions) {
    this.budget = new RetryBudget(opts.retry, opts.random);
  }

  get connected(): boolean { return this.isOpen; }

  start(): void {
    this.stopped = false;
    this.paused = false;
    this.final = false;
    this.budget.reset();
    this.connect();
  }

  /** A frame to the server; false when not connected (the caller decides whether that matters). */
  send(frame: ClientFrame): boolean {
    if (!this.task || !this.isOpen) return false;
    this.task.send({ data: JSON.stringify(frame), fail: () => undefined });
    return true;
  }

  /** Background: the socket closes (WeChat would cut it anyway) and nothing retries until resume(). */
  pause(): void {
    if (this.stopped) return;
    this.paused = true;
    this.clearTimer();
    this.closeTask('background');
  }

  /** Foreground (or a retry after giving up): a new socket with a fresh budget, unless the room is gone. */
  resume(): void {
    if (this.stopped || this.final) return;
    this.paused = false;
    if (this.task || this.timer !== null) return;
    this.budget.reset();
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.closeTask('leaving');
  }

  private connect(): void {
    this.timer = null;
    const task = this.opts.wx().connectSocket({ url: this.opts.url, fail: () => this.lost(task) });
    this.task = task;
    this.isOpen = false;
    task.onOpen(() => {
      if (task !== this.task) return;
      this.isOpen = true;
      const token = this.opts.token();
      if (token) this.send({ type: 'auth', token });
      this.opts.onEvent('open');
    });
    task.onMessage((res) => {
      if (task !== this.task || typeof res.data !== 'string') return;
      let frame: unknown;
      try { frame = JSON.parse(res.data); } catch { return; } // the server sends JSON only: ignore noise
      if (!frame || typeof frame !== 'object' || typeof (frame as { type?: unknown }).type !== 'string') return;
      // the server took us in: the next drop starts from the first delay again
      if ((frame as ServerFrame).type === 'hello') this.budget.reset();
      this.opts.onFrame(frame as ServerFrame);
    });
    task.onClose((res) => {
      if (task !== this.task) return;
      if (res.code === CLOSE_ROOM_GONE || res.code === CLOSE_BANNED) {
        this.task = null;
        this.isOpen = false;
        this.final = true;
        this.opts.onEvent(res.code === CLOSE_BANNED ? 'banned' : 'gone');
        return;
      }
      this.lost(task);
    });
    // an error may come without a close (a failed connect): treat it as the loss; a later close is ignored
    task.onError(() => this.lost(task));
  }

  private lost(task: SocketTaskPort): void {
    if (task !== this.task) return;
    this.task = null;
    this.isOpen = false;
    if (this.stopped || this.paused || this.final || this.timer !== null) return;
    const delay = this.budget.next();
    if (delay === null) {
      this.opts.onEvent('gave-up');
      return;
    }
    this.opts.onEvent('retrying');
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private closeTask(reason: string): void {
    const task = this.task;
    this.task = null;
    this.isOpen = false;
    if (task) task.close({ code: 1000, reason });
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
