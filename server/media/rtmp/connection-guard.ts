// The RTMP listener's connection limits: every socket is tracked from its first byte (caps per address and in
// total, with slots only signed publishers may use), must publish or play before a deadline, and a player of a
// room that is not live leaves after a wait. Every close a limit makes is logged at warn and counted by reason.
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { ConnectionTable, type ConnectionCaps, type TrackedConnection, type Verdict } from './connection-table';
import { RtmpSessionClass, type RtmpSession } from './nms';
import type { LimitCounter } from './types';

export interface GuardOptions {
  log: Logger;
  caps: ConnectionCaps;
  handshakeTimeoutMs: number;
  publisherIdleMs: number;
  idleViewerWaitMs: number;
  /** the stream path has an admitted publisher */
  isLive(streamPath: string): boolean;
  refusals?: LimitCounter;
}

interface Connection extends TrackedConnection {
  socket: Socket;
  session: RtmpSession;
  /** a player: since when its room has been seen not live (null: live) */
  idleSince: number | null;
  /** the socket's bytesRead at the last sweep, and when it last grew */
  bytesRead: number;
  readAt: number;
}

export class ConnectionGuard {
  private readonly table: ConnectionTable<Connection>;
  private readonly bySession = new Map<string, Connection>();
  private readonly sockets = new Set<Socket>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly opts: GuardOptions) {
    this.table = new ConnectionTable(opts.caps, (c) => c.state === 'pending' || (c.state === 'player' && !this.live(c)));
  }

  /** Start the sweep: idle players of rooms not live, and publishers that stopped sending. */
  start(): void {
    const every = Math.max(50, Math.min(1000, this.opts.idleViewerWaitMs / 4, this.opts.publisherIdleMs / 4));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  /** A new socket: returns its session, or null when it was refused. */
  accept(socket: Socket): RtmpSession | null {
    const session = new RtmpSessionClass(socket);
    const conn: Connection = {
      address: addressOf(socket), state: 'pending', socket, session, idleSince: null, bytesRead: 0, readAt: Date.now(),
    };
    const verdict = this.table.arrive(conn);
    this.apply(verdict);
    if (verdict.refused) {
      this.count(verdict.refused, { address: conn.address }, 'RTMP connection refused: every slot is held by publishers and live viewers');
      socket.destroy();
      return null;
    }
    this.sockets.add(socket);
    this.bySession.set(session.id, conn);
    // a half-finished handshake, or a connection that never publishes nor plays, must not hold a slot for ever
    const deadline = setTimeout(() => {
      if (session.streamPath !== '' || session.closing) return;
      this.closeForLimit(session, 'rtmp_handshake_timeout', 'RTMP connection closed: no publish or play in time');
    }, this.opts.handshakeTimeoutMs);
    socket.once('close', () => {
      clearTimeout(deadline);
      this.sockets.delete(socket);
      this.bySession.delete(session.id);
      this.table.remove(conn);
    });
    return session;
  }

  /** The play passed its signature check: the refusal reason when the listener has no room for another player. */
  admitPlayer(session: RtmpSession): string | null {
    const conn = this.bySession.get(session.id);
    return conn ? this.decide(conn, this.table.play(conn), 'RTMP play refused') : 'closed';
  }

  /** The publish passed its signature check: the refusal reason when even the publishers' slots are full. */
  admitPublisher(session: RtmpSession): string | null {
    const conn = this.bySession.get(session.id);
    return conn ? this.decide(conn, this.table.publish(conn), 'RTMP publish refused') : 'closed';
  }

  /** The play started: a player of a room that is not live starts waiting. */
  playing(session: RtmpSession): void {
    const conn = this.bySession.get(session.id);
    if (conn) conn.idleSince = this.live(conn) ? null : Date.now();
  }

  /** Log at warn, count, close. */
  closeForLimit(session: RtmpSession, reason: string, message: string, fields: Record<string, unknown> = {}): void {
    if (session.closing) return;
    this.count(reason, { address: addressOf(session.socket), ...fields }, message);
    session.close();
  }

  /** Log at warn and count a limit's refusal. */
  count(reason: string, fields: Record<string, unknown>, message: string): void {
    this.opts.log.warn({ reason, ...fields }, message);
    this.opts.refusals?.inc({ reason });
  }

  /** Destroy every socket; resolves once all have closed. */
  async closeAll(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const closed: Promise<void>[] = [];
    for (const socket of this.sockets) {
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
      socket.destroy();
    }
    await Promise.all(closed);
  }

  /** Connections tracked (sockets not yet closed, less those already evicted). */
  get size(): number {
    return this.table.size;
  }

  private decide(conn: Connection, verdict: Verdict<Connection>, message: string): string | null {
    this.apply(verdict);
    if (!verdict.refused) return null;
    this.table.refused(conn);
    this.count(verdict.refused, { address: conn.address, streamPath: conn.session.streamPath }, `${message}: ${capText(verdict.refused)}`);
    return verdict.refused;
  }

  private apply(verdict: Verdict<Connection>): void {
    for (const { victim, reason } of verdict.evict) {
      this.count(reason, { address: victim.address, evicted: victim.state }, `RTMP connection evicted to make room: ${capText(reason)}`);
      victim.session.closing = true;
      victim.socket.destroy();
    }
  }

  /**
   * Players of rooms that are not live leave after their wait; a publisher whose network vanished without a FIN
   * (nothing read for publisherIdleMs) is closed, or it would keep its room live. Checked here rather than with
   * socket.setTimeout, which re-arms a timer on every read of every publisher.
   */
  private sweep(): void {
    const now = Date.now();
    for (const conn of this.bySession.values()) {
      if (conn.session.closing) continue;
      const read = conn.socket.bytesRead;
      if (read !== conn.bytesRead) {
        conn.bytesRead = read;
        conn.readAt = now;
      } else if (conn.session.isPublisher && now - conn.readAt >= this.opts.publisherIdleMs) {
        this.closeForLimit(conn.session, 'rtmp_publisher_idle', 'RTMP publisher idle; closing', { streamPath: conn.session.streamPath });
        continue;
      }
      if (conn.state !== 'player') continue;
      if (this.live(conn)) conn.idleSince = null;
      else if (conn.idleSince === null) conn.idleSince = now;
      else if (now - conn.idleSince >= this.opts.idleViewerWaitMs) {
        this.closeForLimit(conn.session, 'rtmp_idle_room', 'RTMP player closed: its room is not live',
          { streamPath: conn.session.streamPath, waitedMs: now - conn.idleSince });
      }
    }
  }

  private live(conn: Connection): boolean {
    return this.opts.isLive(conn.session.streamPath);
  }
}

function addressOf(socket: Socket): string {
  return (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

function capText(reason: string): string {
  return reason === 'rtmp_per_ip' ? 'too many connections from this address' : 'too many connections';
}
