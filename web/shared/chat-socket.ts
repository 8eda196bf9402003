// The room's chat socket for the web pages (issue 13): ws(s)://<this host>/api/rooms/:id/socket, the session token
// sent as the first `auth` frame (never in the URL), reconnects with backoff, none after a ban (4001) or the room's end (4004).
import type { ClientFrame, ServerFrame } from '../../typings/chat';
import { CLOSE_BANNED, CLOSE_ROOM_GONE } from '../../typings/chat';

/** waits before reconnect attempts 1, 2, 3…; the last one repeats */
export const RETRY_MS = [500, 1000, 2000, 4000, 8000, 15000];

export type ChatSocketEnd = 'banned' | 'gone';

export interface ChatSocketEvents {
  frame(frame: ServerFrame): void;
  /** the socket is open (true) or dropped and about to retry (false) */
  connected(open: boolean): void;
  /** closed for good: banned (4001) or the room is gone (4004) */
  ended(why: ChatSocketEnd): void;
}

export class ChatSocket {
  private ws: WebSocket | null = null;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly roomId: string,
    private readonly events: ChatSocketEvents,
    /** read at every (re)connect, so a guest session started later is used by the next socket */
    private readonly token: () => string | null = () => null,
  ) {}

  get url(): string {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/api/rooms/${encodeURIComponent(this.roomId)}/socket`;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
  }

  /** Reopens at once (a new token: sign in on a fresh socket). */
  reconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
    this.open();
  }

  /** false when the socket is not open (the caller keeps the text). */
  send(frame: ClientFrame): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  private open(): void {
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (ws !== this.ws) return;
      const token = this.token();
      if (token) ws.send(JSON.stringify({ type: 'auth', token } satisfies ClientFrame));
      this.events.connected(true);
    });
    ws.addEventListener('message', (e: MessageEvent) => {
      if (ws !== this.ws || typeof e.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(e.data) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'hello') this.failures = 0;
      this.events.frame(frame);
    });
    ws.addEventListener('close', (e: CloseEvent) => {
      if (ws !== this.ws) return;
      this.ws = null;
      if (e.code === CLOSE_BANNED || e.code === CLOSE_ROOM_GONE) {
        this.stopped = true;
        this.events.ended(e.code === CLOSE_BANNED ? 'banned' : 'gone');
        return;
      }
      this.events.connected(false);
      this.retry();
    });
  }

  private retry(): void {
    if (this.stopped) return;
    const delay = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)]!;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { if (!this.stopped) this.open(); }, delay);
  }
}
