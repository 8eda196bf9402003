// BUS=redis: the RoomBus carried between API nodes by Redis pub/sub (ioredis), one channel per room, subscribed
// only while this node has sockets in the room. An event reaches this node's subscribers at once, in publish
// order, as with the in-process bus, and every other node through Redis; a node skips its own events coming
// back. Pub/sub is at most once: events published while a node is cut off from Redis do not reach it (its
// sockets catch up from the store on reconnect: history in the hello, like totals in the next likes event).
// Bounded: at most `maxPending` publishes wait for Redis (more are dropped and counted, so a Redis outage
// never holds memory or a sender), and events over `maxEventBytes` stay on this node. Redis itself disconnects
// a subscriber that falls behind (client-output-buffer-limit pubsub); ioredis reconnects with backoff.
import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { ViewerCounter } from '../rooms/ports';
import type { BusEvent, BusHandler, RoomBus } from './room-bus';
import { RedisViewerCounts, type ViewerSumOptions } from './redis-viewer-counts';

export interface RedisBusOptions {
  /** REDIS_URL, e.g. redis://127.0.0.1:6379/0 */
  url: string;
  /** key and channel prefix, so several deployments can share one Redis (default "wxlive:") */
  prefix?: string;
  /** this node's id on the wire (default: random per process) */
  nodeId?: string;
  /** publishes waiting for Redis at most (default 10 000) */
  maxPending?: number;
  /** larger events are delivered on this node only (default 64 KiB) */
  maxEventBytes?: number;
  /** longest wait between reconnect attempts (default 2000 ms) */
  maxRetryDelayMs?: number;
  /** a subscriber threw, a publish failed or was dropped, Redis went away */
  onError?: (err: unknown, what: string) => void;
}

/** What travels on a room channel: the publishing node and the event. */
interface WireEvent { n: string; e: BusEvent }

export class RedisRoomBus implements RoomBus {
  readonly nodeId: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly rooms = new Map<string, Set<BusHandler>>();
  private readonly prefix: string;
  private readonly maxPending: number;
  private readonly maxEventBytes: number;
  private pendingCount = 0;
  private droppedCount = 0;
  private closed = false;
  private readonly counters = new Set<RedisViewerCounts>();

  constructor(private readonly opts: RedisBusOptions) {
    this.nodeId = opts.nodeId ?? randomUUID();
    this.prefix = `${opts.prefix ?? 'wxlive:'}room:`;
    this.maxPending = opts.maxPending ?? 10_000;
    this.maxEventBytes = opts.maxEventBytes ?? 64 * 1024;
    const maxDelay = opts.maxRetryDelayMs ?? 2000;
    const common: RedisOptions = {
      // reconnect for ever, backing off to maxDelay; a queued command fails after 2 failed attempts
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay),
      maxRetriesPerRequest: 2,
      connectTimeout: 5000,
      // a socket that never opened is destroyed this soon at close (ioredis's 2 s would hold a shutdown)
      disconnectTimeout: 200,
      lazyConnect: false,
    };
    this.pub = new Redis(opts.url, { ...common, connectionName: `wxlive-pub-${this.nodeId}` });
    // subscriptions are ours to restore (autoResubscribe would forget rooms subscribed while disconnected)
    this.sub = new Redis(opts.url, { ...common, connectionName: `wxlive-sub-${this.nodeId}`, autoResubscribe: false });
    this.sub.on('ready', () => this.resubscribe());
    this.sub.on('message', (channel: string, text: string) => this.receive(channel, text));
    for (const [conn, name] of [[this.pub, 'publisher'], [this.sub, 'subscriber']] as const) {
      let up = false;
      conn.on('ready', () => { up = true; });
      // told once per outage: a refused reconnect every few seconds is the same outage
      conn.on('close', () => {
        if (up && !this.closed) this.fail(new Error('connection to redis lost; reconnecting'), `redis ${name} connection`);
        up = false;
      });
      conn.on('error', (err) => { if (up) this.fail(err, `redis ${name} connection`); });
    }
  }

  /** Resolves once both connections are up (a startup can wait on it to fail early on a wrong REDIS_URL). */
  async ready(timeoutMs = 5000): Promise<void> {
    const up = (c: Redis) => c.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => c.once('ready', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis at ${redactUrl(this.opts.url)} not reachable within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([up(this.pub), up(this.sub)]), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async publish(roomId: string, event: BusEvent): Promise<void> {
    this.deliver(roomId, event);
    if (this.closed) return;
    const text = JSON.stringify({ n: this.nodeId, e: event } satisfies WireEvent);
    if (Buffer.byteLength(text) > this.maxEventBytes) return this.fail(new Error(`a ${event.kind} event of ${text.length} bytes is over ${this.maxEventBytes}`), 'publishing (kept on this node)');
    if (this.pendingCount >= this.maxPending) return this.drop();
    this.pendingCount++;
    // not awaited: a sender never waits for Redis (this node's sockets already have the event)
    this.pub.publish(this.channel(roomId), text)
      .catch((err: unknown) => { this.droppedCount++; this.fail(err, 'publishing to redis'); })
      .finally(() => { this.pendingCount--; });
  }

  subscribe(roomId: string, handler: BusHandler): () => void {
    let set = this.rooms.get(roomId);
    if (!set) {
      this.rooms.set(roomId, (set = new Set()));
      if (this.sub.status === 'ready') this.sub.subscribe(this.channel(roomId)).catch((err: unknown) => this.fail(err, 'subscribing'));
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size > 0 || this.rooms.get(roomId) !== set) return;
      this.rooms.delete(roomId);
      if (this.sub.status === 'ready') this.sub.unsubscribe(this.channel(roomId)).catch((err: unknown) => this.fail(err, 'unsubscribing'));
    };
  }

  /** rooms with at least one subscriber on this node */
  get size(): number {
    return this.rooms.size;
  }

  /** publishes waiting for Redis now */
  get pending(): number {
    return this.pendingCount;
  }

  /** publishes that never reached Redis (over maxPending, or failed) */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * The viewer counts summed over every node (each node's media serves its own viewers), on this bus's
   * publishing connection. Start it with `start()`; `close()` stops it.
   */
  viewerCounts(local: ViewerCounter, localRooms: () => Iterable<string>, opts: ViewerSumOptions = {}): RedisViewerCounts {
    const counts = new RedisViewerCounts(this.pub, this.nodeId, `${this.opts.prefix ?? 'wxlive:'}viewers:`, local, localRooms, {
      ...opts, onError: opts.onError ?? ((err) => this.fail(err, 'summing viewer counts')),
    });
    this.counters.add(counts);
    return counts;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.counters].map((c) => c.stop()));
    this.rooms.clear();
    await Promise.all([this.pub, this.sub].map(async (c) => {
      if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
      else c.disconnect();
    }));
  }

  private channel(roomId: string): string {
    return this.prefix + roomId;
  }

  private resubscribe(): void {
    const channels = [...this.rooms.keys()].map((id) => this.channel(id));
    if (channels.length) this.sub.subscribe(...channels).catch((err: unknown) => this.fail(err, 'resubscribing'));
  }

  private receive(channel: string, text: string): void {
    if (!channel.startsWith(this.prefix)) return;
    if (Buffer.byteLength(text) > this.maxEventBytes) return this.fail(new Error(`an event of ${text.length} bytes is over ${this.maxEventBytes}`), 'receiving');
    let wire: WireEvent;
    try {
      wire = JSON.parse(text) as WireEvent;
      if (typeof wire?.n !== 'string' || typeof wire.e?.kind !== 'string') throw new Error('not a bus event');
    } catch (err) {
      return this.fail(err, 'receiving');
    }
    if (wire.n === this.nodeId) return; // delivered here at publish
    this.deliver(channel.slice(this.prefix.length), wire.e);
  }

  private deliver(roomId: string, event: BusEvent): void {
    for (const handler of [...(this.rooms.get(roomId) ?? [])]) {
      try {
        handler(event);
      } catch (err) {
        this.fail(err, 'a room bus subscriber'); // one bad subscriber must not keep the event from the others
      }
    }
  }

  private drop(): void {
    // told at the first drop and then every 1000th, not once per event of an outage
    if (this.droppedCount++ % 1000 === 0) this.fail(new Error(`${this.maxPending} publishes waiting for redis: dropping (${this.droppedCount} so far)`), 'publishing to redis');
  }

  private fail(err: unknown, what: string): void {
    this.opts.onError?.(err, what);
  }
}

/** REDIS_URL without its password, for messages */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}
