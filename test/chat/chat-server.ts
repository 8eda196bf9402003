// A real HTTP server on a loopback port 0 built from the chat's own pieces, the way server/server.ts wires
// them: the Koa app (with the chat router), the room socket on the 'upgrade' event, the real RoomService,
// LoginService (dev) and ChatService over SQLite stores in a temp dir. Plus a `ws` client that records frames.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import WebSocket from 'ws';
import type { ServerFrame } from '../../typings/chat';
import { createApp } from '../../server/api/app';
import { roomSocketUpgrade, type RoomSocketOptions, type RoomSocketUpgrade } from '../../server/api/room-socket';
import { chatRouter } from '../../server/api/routes/chat';
import { GuestSessions, type GuestSessionOptions } from '../../server/auth/guest-sessions';
import { LoginService } from '../../server/auth/login';
import { isAdminToken } from '../../server/auth/admin-token';
import { ChatService, type ChatServiceOptions } from '../../server/chat/chat-service';
import { InProcessRoomBus } from '../../server/chat/room-bus';
import { UserGate } from '../../server/chat/user-gate';
import { SignedMediaUrls } from '../../server/media/signed-media-urls';
import { CohostService, type CohostServiceOptions } from '../../server/rooms/cohosts/cohost-service';
import type { MediaUrls, ViewerCounter } from '../../server/rooms/ports';
import { SqliteCohostStore } from '../../server/store/sqlite/sqlite-cohost-store';
import { RoomService } from '../../server/rooms/room-service';
import { SqliteChatStore } from '../../server/store/sqlite/sqlite-chat-store';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';

export const ADMIN_TOKEN = 'chat-test-admin-token-0123456789';
export const SECRET = 'a-signing-secret-of-at-least-32-characters!';

const urls: MediaUrls = {
  push: (roomId, exp) => ({ url: `rtmp://127.0.0.1/live/${roomId}`, server: 'rtmp://127.0.0.1/live', streamKey: roomId, expiresAt: new Date(exp * 1000).toISOString() }),
  play: (roomId, exp) => ({ flv: `http://x/${roomId}.flv`, rtmp: `rtmp://x/${roomId}`, hls: `http://x/${roomId}.m3u8`, expiresAt: new Date(exp * 1000).toISOString() }),
  replay: () => null,
};

export class FakeViewers implements ViewerCounter {
  readonly counts = new Map<string, number>();
  viewers(roomId: string): number { return this.counts.get(roomId) ?? 0; }
}

export interface ChatTestServer {
  url: string;
  wsUrl: string;
  rooms: RoomService;
  chat: ChatService;
  chatStore: SqliteChatStore;
  viewers: FakeViewers;
  upgrade: RoomSocketUpgrade;
  /** with `cohosts` in the options */
  cohosts?: CohostService;
  close(): Promise<void>;
}

export interface ChatTestOptions {
  chat?: Partial<Omit<ChatServiceOptions, 'rooms' | 'store' | 'bus' | 'sessions'>>;
  socket?: Partial<Omit<RoomSocketOptions, 'chat' | 'log'>>;
  /** guest sessions (GUEST_CHAT=on, the default here); false as with GUEST_CHAT=off */
  guests?: Partial<GuestSessionOptions> | false;
  /** co-hosting on (issue 15), with the embedded server's signed URLs; these options over the defaults */
  cohosts?: Partial<Omit<CohostServiceOptions, 'rooms' | 'store' | 'bus' | 'urls'>>;
}

export async function startChatServer(o: ChatTestOptions = {}): Promise<ChatTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-chat-'));
  const file = join(dir, 'wxlive.db');
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const roomStore = new SqliteRoomStore(file);
  const chatStore = new SqliteChatStore(file);
  const gate = new UserGate(chatStore);
  const mediaUrls: MediaUrls = o.cohosts ? new SignedMediaUrls(SECRET, false) : urls;
  const rooms = new RoomService({
    store: roomStore, urls: mediaUrls, pushTtlS: 600, playTtlS: 600, graceMs: 10_000, mayHost: (id) => gate.assertMayHost(id),
  });
  const login = new LoginService({ mode: 'dev', secret: SECRET, sessionTtlS: 3600, maySignIn: (id) => gate.assertMaySignIn(id),
    nickname: (id) => chatStore.nickname(id) });
  const guests = o.guests === false ? undefined
    : new GuestSessions({ secret: SECRET, sessionTtlS: 3600, perAddressPerMin: 10, ...o.guests });
  const viewers = new FakeViewers();
  const bus = new InProcessRoomBus();
  const cohostStore = o.cohosts ? new SqliteCohostStore(file) : undefined;
  const cohosts = cohostStore ? new CohostService({
    rooms, store: cohostStore, bus, urls: mediaUrls, secret: SECRET, pushTtlS: 600, playTtlS: 600, maxGuests: 3, log, ...o.cohosts,
  }) : undefined;
  const chat = new ChatService({
    rooms, store: chatStore, bus, sessions: login, viewers, authWaitMs: 100, log, cohosts,
    isAdminToken: (token) => isAdminToken(ADMIN_TOKEN, token), ...o.chat,
  });
  const app = createApp({
    log, rooms, login, cohosts, adminToken: ADMIN_TOKEN, metrics: new Registry(), rtmpPort: 1935, startedAt: Date.now(),
    stats: { stream: () => null, snapshot: () => ({ streams: [], totals: { streams: 0, publishers: 0, viewers: 0, bytesIn: 0, bytesOut: 0, bitrateIn: 0, bitrateOut: 0 } }) },
    extraRouters: [chatRouter(chat, { login, adminToken: ADMIN_TOKEN, guests })],
  });
  const upgrade = roomSocketUpgrade({ chat, log, maxPerIp: 50, maxPerRoom: 500, ...o.socket });
  const http: Server = createServer(app.callback());
  http.on('upgrade', (req, socket, head) => {
    if (!upgrade.handle(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, rooms, chat, chatStore, viewers, upgrade, cohosts,
    async close() {
      await chat.close();
      cohosts?.close();
      await cohostStore?.close();
      await upgrade.close();
      await new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections(); });
      await roomStore.close();
      await chatStore.close();
      await bus.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A `ws` client on a room's socket that keeps every frame it receives. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  readonly ws: WebSocket;
  /** resolves with the close code and reason (1006 when the connection dropped) */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** the HTTP status when the upgrade was refused */
  readonly refused: Promise<number | null>;
  readonly opened: Promise<boolean>;
  private waiters: Array<() => void> = [];

  constructor(wsUrl: string, roomId: string, opts: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(`${wsUrl}/api/rooms/${roomId}/socket`, opts);
    this.ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      for (const w of this.waiters.splice(0)) w();
    });
    this.ws.on('error', () => {});
    this.refused = new Promise((resolve) => {
      this.ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); res.resume(); this.ws.terminate(); });
      this.ws.on('open', () => resolve(null));
      this.ws.on('close', () => resolve(null));
    });
    this.opened = new Promise((resolve) => { this.ws.on('open', () => resolve(true)); this.ws.on('close', () => resolve(false)); });
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => {
      resolve({ code, reason: String(reason) });
      for (const w of this.waiters.splice(0)) w();
    }));
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  of<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter((f) => f.type === type) as Extract<ServerFrame, { type: T }>[];
  }

  /** The first frame (from the start) of `type` matching `ok`; waits up to `timeoutMs`. */
  async next<T extends ServerFrame['type']>(type: T, ok: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs = 3000): Promise<Extract<ServerFrame, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.of(type).find(ok);
      if (found) return found;
      if (Date.now() > deadline || this.ws.readyState === WebSocket.CLOSED) {
        throw new Error(`no ${type} frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(0, 500)}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  close(): void {
    this.ws.terminate();
  }
}
