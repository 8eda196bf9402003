// Who holds the RTMP listener's connections, and who makes room when it is crowded. Every socket counts
// against its address from its first byte; caps make room by evicting the oldest evictable connection (one
// that has not published or played yet, or a player of a room that is not live) rather than refusing the
// newcomer, because the newcomer may be a signed publisher and behind a NAT it shares the crowd's address.

/** pending: neither published nor played yet; publisher: passed the signature check. */
export type ConnectionState = 'pending' | 'player' | 'publisher';

export interface TrackedConnection {
  readonly address: string;
  state: ConnectionState;
}

export interface ConnectionCaps {
  /** connections in total; publishers may use all of them */
  maxConnections: number;
  /** of those, the slots only publishers may take */
  publisherReserve: number;
  maxPerIp: number;
  /** sockets beyond the caps wait here to show who they are; past it the oldest evictable goes or the newcomer is refused */
  hardCeiling: number;
}

/** Why a connection was evicted or refused (metrics.limitRefusals reasons). */
export type CapReason = 'rtmp_per_ip' | 'rtmp_connections';

export interface Eviction<C> { victim: C; reason: CapReason }

/** The outcome of a step: connections to evict now, and the refusal of the one asking, if any. */
export interface Verdict<C> { evict: Eviction<C>[]; refused: CapReason | null }

export class ConnectionTable<C extends TrackedConnection> {
  /** insertion order is connection order: the first evictable found is the oldest */
  private readonly all = new Set<C>();
  private readonly byAddress = new Map<string, Set<C>>();
  /** pending connections that arrived over a cap with nobody to evict: they do not evict each other */
  private readonly excess = new Set<C>();
  private publishers = 0;

  constructor(private readonly caps: ConnectionCaps, private readonly evictable: (c: C) => boolean) {}

  get size(): number {
    return this.all.size;
  }

  countOf(address: string): number {
    return this.byAddress.get(address)?.size ?? 0;
  }

  /** A new socket: room is made for it, or (everything at the ceiling is unevictable) it is refused. */
  arrive(c: C): Verdict<C> {
    const evict: Eviction<C>[] = [];
    if (this.all.size >= this.caps.hardCeiling) {
      const victim = this.oldestEvictable(this.all, c, true);
      if (!victim) return { evict, refused: 'rtmp_connections' };
      evict.push(this.evict(victim, 'rtmp_connections'));
    }
    this.all.add(c);
    let mine = this.byAddress.get(c.address);
    if (!mine) this.byAddress.set(c.address, (mine = new Set()));
    mine.add(c);
    // over a cap with nobody to evict, the newcomer waits: as a player it is refused, as a signed publisher it stays
    if (this.makeRoom(c, evict, false)) this.excess.add(c);
    return { evict, refused: null };
  }

  /** The connection plays: players never use the publishers' reserve nor go over their address's cap. */
  play(c: C): Verdict<C> {
    c.state = 'player';
    this.excess.delete(c);
    const evict: Eviction<C>[] = [];
    return { evict, refused: this.makeRoom(c, evict, false) };
  }

  /** The connection published with a valid signature: it may use the reserve and goes over its address's cap. */
  publish(c: C): Verdict<C> {
    c.state = 'publisher';
    this.publishers++;
    this.excess.delete(c);
    const evict: Eviction<C>[] = [];
    // a signed publisher outranks the sockets waiting in excess too
    return { evict, refused: this.makeRoom(c, evict, true) };
  }

  /**
   * Its play or publish was refused: it counts (as pending, so evictable) until its socket is gone, which keeps
   * the sockets lingering after a refusal inside the ceiling.
   */
  refused(c: C): void {
    if (!this.all.has(c)) return;
    if (c.state === 'publisher') this.publishers--;
    c.state = 'pending';
    this.excess.delete(c);
  }

  /** Idempotent. */
  remove(c: C): void {
    if (!this.all.delete(c)) return;
    this.excess.delete(c);
    if (c.state === 'publisher') this.publishers--;
    const mine = this.byAddress.get(c.address);
    mine?.delete(c);
    if (mine?.size === 0) this.byAddress.delete(c.address);
  }

  /**
   * Evicts others until `c` fits; returns the cap it still exceeds (a publisher only exceeds the total: it may go
   * over its address's cap). `evictExcess`: the sockets waiting in excess may be evicted too.
   */
  private makeRoom(c: C, evict: Eviction<C>[], evictExcess: boolean): CapReason | null {
    const mine = this.byAddress.get(c.address)!;
    while (mine.size > this.caps.maxPerIp) {
      const victim = this.oldestEvictable(mine, c, evictExcess);
      if (!victim) break;
      evict.push(this.evict(victim, 'rtmp_per_ip'));
    }
    const overIp = mine.size > this.caps.maxPerIp && c.state !== 'publisher';
    const over = () => c.state === 'publisher'
      ? this.all.size > this.caps.maxConnections
      : this.all.size - this.publishers > this.caps.maxConnections - this.caps.publisherReserve;
    while (over()) {
      const victim = this.oldestEvictable(this.all, c, evictExcess);
      if (!victim) break;
      evict.push(this.evict(victim, 'rtmp_connections'));
    }
    if (overIp) return 'rtmp_per_ip';
    return over() ? 'rtmp_connections' : null;
  }

  private oldestEvictable(among: Set<C>, except: C, evictExcess: boolean): C | null {
    for (const c of among) {
      if (c !== except && c.state !== 'publisher' && (evictExcess || !this.excess.has(c)) && this.evictable(c)) return c;
    }
    return null;
  }

  private evict(victim: C, reason: CapReason): Eviction<C> {
    this.remove(victim);
    return { victim, reason };
  }
}
