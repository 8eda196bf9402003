// `GET /api/rooms/:id/socket`: the HTTP upgrade to the room's WebSocket (library `ws`). Here live what belongs
// to the wire: the path, the per-address and per-room socket caps (429 before the upgrade), the 4 KiB frame
// limit (ws closes with 1009), the heartbeat that drops dead sockets, and slow sockets whose frames are dropped.
// Everything the frames mean is the ChatService's.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CLOSE_GOING_AWAY, MAX_FRAME_BYTES } from '../../typings/chat';
import type { ChatService } from '../chat/chat-service';
import { KeyedCount } from '../limits/keyed-count';
import { addressOf } from './middleware/client-address';
import { roomIdParam } from './schemas';

export interface RoomSocketOptions {
  chat: ChatService;
  log: Logger;
  trustedProxies?: readonly string[];
  /** open sockets per client address (CHAT_MAX_PER_IP) */
  maxPerIp: number;
  /** open sockets per room on this node (CHAT_MAX_PER_ROOM) */
  maxPerRoom: number;
  /** ping every this often; a socket that has not answered the previous ping is dropped (default 30 s) */
  heartbeatMs?: number;
  /** a socket with more than this many bytes not yet written gets no more frames until it drains (default 256 KiB) */
  maxBufferedBytes?: number;
  /** told the reason whenever a cap refuses (wxlive_limit_refusals_total) */
  onLimit?: (reason: string, key: string) => void;
}

export interface RoomSocketUpgrade {
  /** For the HTTP server's 'upgrade' event: true when the request was ours (answered or upgraded). */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** open sockets on this node */
  readonly size: number;
  close(): Promise<void>;
}

export const DEFAULT_HEARTBEAT_MS = 30_000;
/** CHAT_MAX_PER_IP / CHAT_MAX_PER_ROOM defaults (as FLV_MAX_PER_IP: one NAT address may hold a classroom) */
export const DEFAULT_SOCKET_CAPS = { maxPerIp: 100, maxPerRoom: 5000 } as const;
const DEFAULT_MAX_BUFFERED = 256 * 1024;
const PATH = /^\/api\/rooms\/([^/?#]+)\/socket(?:\?.*)?$/;
const RETRY_AFTER_S = 10;

export function roomSocketUpgrade(o: RoomSocketOptions): RoomSocketUpgrade {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: true });
  const address = addressOf(o.trustedProxies ?? []);
  const perIp = new KeyedCount(o.maxPerIp);
  const perRoom = new KeyedCount(o.maxPerRoom);
  const alive = new WeakSet<WebSocket>();
  const maxBuffered = o.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate(); // no pong since the last ping: the peer is gone without a FIN (phone off the network)
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  function refuse(socket: Duplex, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
    const body = JSON.stringify({ error: { code, message, ...(status === 429 ? { retryAfterS: RETRY_AFTER_S } : {}) } });
    const headers = {
      'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', ...extra,
    };
    const reason = status === 429 ? 'Too Many Requests' : status === 404 ? 'Not Found' : 'Bad Request';
    socket.end(`HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`);
    socket.once('finish', () => socket.destroy());
  }

  function attach(ws: WebSocket, roomId: string, who: string): void {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    let dropped = 0;
    const connection = o.chat.connect(roomId, {
      send(json) {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > maxBuffered) {
          // a slow reader never holds up the room: its frames are dropped, and said so once
          if (dropped++ === 0) o.log.warn({ roomId, address: who }, 'chat socket is too slow; dropping frames');
          return;
        }
        dropped = 0;
        ws.send(json);
      },
      close(code, reason) {
        ws.close(code, reason);
      },
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      connection.receive(isBinary ? null : rawText(data));
    });
    ws.on('close', () => connection.closed());
    // ws reports a frame over maxPayload (then closes with 1009) and protocol errors here; the close follows
    ws.on('error', (err) => o.log.debug({ err, roomId, address: who }, 'chat socket error'));
  }

  return {
    handle(req, socket, head) {
      const m = PATH.exec(req.url ?? '');
      if (!m) return false;
      socket.on('error', () => socket.destroy());
      const roomId = roomIdParam.safeParse(decodeURIComponentSafe(m[1]!));
      if (!roomId.success) {
        refuse(socket, 404, 'room_not_found', 'No such room.');
        return true;
      }
      const who = address(req);
      const releaseIp = perIp.acquire(who);
      if (!releaseIp) {
        o.onLimit?.('chat_per_ip', who);
        refuse(socket, 429, 'chat_sockets_per_address', 'Too many chat connections from this address.', { 'Retry-After': String(RETRY_AFTER_S) });
        return true;
      }
      const releaseRoom = perRoom.acquire(roomId.data);
      if (!releaseRoom) {
        releaseIp();
        o.onLimit?.('chat_per_room', roomId.data);
        refuse(socket, 429, 'chat_room_full', 'This room has as many chat connections as it can take.', { 'Retry-After': String(RETRY_AFTER_S) });
        return true;
      }
      // counted until the TCP socket is gone, whether or not the handshake succeeds
      socket.once('close', () => { releaseIp(); releaseRoom(); });
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, roomId.data, who));
      return true;
    },
    get size() {
      return wss.clients.size;
    },
    async close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(CLOSE_GOING_AWAY, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const ws of wss.clients) ws.terminate();
    },
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
