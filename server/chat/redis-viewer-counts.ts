// The viewer counts of BUS=redis: every API node's media counts summed through Redis hashes (see the class).
import type { Redis } from 'ioredis';
import type { ViewerCounter } from '../rooms/ports';

export interface ViewerSumOptions {
  /** how often this node writes its counts and reads the others' (default 1000 ms) */
  everyMs?: number;
  /** a node's count older than this is left out of the sum: that node is gone (default 10 s) */
  staleMs?: number;
  /** rooms nobody asked about for this long are no longer read (default 10 s) */
  forgetMs?: number;
  onError?: (err: unknown) => void;
  now?: () => number;
}

/**
 * Viewer counts under BUS=redis: each node writes its own media's count of a room into the hash
 * `{prefix}viewers:{roomId}` (field = node id, value = "count:writtenAtMs"), and sums the fresh fields of the
 * rooms it is asked about. A node that dies stops refreshing its field, which drops out after `staleMs`; the
 * hash itself expires when no node writes it (Redis 7.0 has no per-field expiry). `viewers()` stays
 * synchronous, as the ViewerCounter port is: it answers from the last reading plus this node's live count.
 */
export class RedisViewerCounts implements ViewerCounter {
  /** per room: the other nodes' viewers at the last reading */
  private readonly others = new Map<string, number>();
  /** rooms asked about, and when last */
  private readonly wanted = new Map<string, number>();
  /** rooms this node has written a non-zero count for (a zero is written once, then the field deleted) */
  private readonly written = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly everyMs: number;
  private readonly staleMs: number;
  private readonly forgetMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis, private readonly nodeId: string, private readonly prefix: string,
    private readonly local: ViewerCounter, private readonly localRooms: () => Iterable<string>, private readonly opts: ViewerSumOptions = {},
  ) {
    this.everyMs = opts.everyMs ?? 1000;
    this.staleMs = opts.staleMs ?? 10_000;
    this.forgetMs = opts.forgetMs ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  viewers(roomId: string): number {
    this.wanted.set(roomId, this.now());
    return this.local.viewers(roomId) + (this.others.get(roomId) ?? 0);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  /** Writes this node's counts and reads the others' once (one round trip); the timer calls it. */
  tick(): Promise<void> {
    this.running ??= this.exchange().catch((err: unknown) => this.opts.onError?.(err)).finally(() => { this.running = null; });
    return this.running;
  }

  /** Stops, and takes this node's counts out of the sums at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    if (this.written.size === 0 || this.redis.status !== 'ready') return;
    const batch = this.redis.pipeline();
    for (const room of this.written) batch.hdel(this.prefix + room, this.nodeId);
    this.written.clear();
    await batch.exec().catch((err: unknown) => this.opts.onError?.(err));
  }

  private async exchange(): Promise<void> {
    const now = this.now();
    const batch = this.redis.pipeline();
    const mine = new Set<string>();
    for (const room of this.localRooms()) {
      const count = this.local.viewers(room);
      if (count <= 0) continue;
      mine.add(room);
      batch.hset(this.prefix + room, this.nodeId, `${count}:${now}`);
      batch.pexpire(this.prefix + room, this.staleMs * 2);
    }
    for (const room of this.written) if (!mine.has(room)) batch.hdel(this.prefix + room, this.nodeId);
    for (const [room, at] of this.wanted) if (now - at > this.forgetMs) { this.wanted.delete(room); this.others.delete(room); }
    const rooms = [...this.wanted.keys()];
    for (const room of rooms) batch.hgetall(this.prefix + room);
    const replies = (await batch.exec()) ?? [];
    this.written.clear();
    for (const room of mine) this.written.add(room);
    const reads = replies.slice(replies.length - rooms.length);
    rooms.forEach((room, i) => {
      const [err, fields] = reads[i] ?? [null, {}];
      if (err) throw err;
      let sum = 0;
      for (const [node, value] of Object.entries((fields ?? {}) as Record<string, string>)) {
        if (node === this.nodeId) continue;
        const [count, at] = value.split(':').map(Number);
        if (Number.isFinite(count) && Number.isFinite(at) && now - at! <= this.staleMs && count! > 0) sum += count!;
      }
      this.others.set(room, sum);
    });
  }
}
