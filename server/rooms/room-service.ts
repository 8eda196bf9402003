// Room rules: creation, listing, signed tickets, ending, and the lifecycle driven by media events.
// No HTTP here: callers get RoomRecords or typed DomainErrors.
import { EventEmitter } from 'node:events';
import type { PlayUrls, PushTicket, RoomStatus } from '../../typings/api';
import { DomainError, Forbidden, IllegalTransition, RoomNotFound } from '../errors';
import { PerMinute } from '../limits/per-minute';
import type { RoomPatch, RoomRecord, RoomStore } from '../store/room-store';
import { countingFullDisk } from './counting-full-disk';
import { decodeCursor, encodeCursor } from './cursor';
import { newBroadcastId, newRoomId } from './ids';
import { refuseTransition, sourcesOf } from './lifecycle';
import type { Actor, MediaUrls, UrlBases } from './ports';

export interface RoomServiceOptions {
  store: RoomStore;
  urls: MediaUrls;
  pushTtlS: number;
  playTtlS: number;
  /** how long a live room waits for its publisher to come back */
  graceMs: number;
  /** abuse limits (README "Limits"); without them room creation is not limited */
  limits?: RoomLimits;
  /** told the reason whenever a limit refuses (wxlive_limit_refusals_total) */
  onLimit?: (reason: string, key: string) => void;
  /** idle rooms are looked for at most this often (default 10 s): the grace sweep runs every second */
  idleSweepEveryMs?: number;
  /** throws to refuse a host (issue 13: banned everywhere, or a guest session → 403) */
  mayHost?: (hostId: string) => Promise<void>;
  now?: () => number;
}

export interface RoomLimits {
  createPerUserPerMin: number;
  createPerAddressPerMin: number;
  /** open (idle or live) rooms one host may have at once */
  maxOpenPerHost: number;
}

/** Who asks for a new room, besides the host: the client's address (per-address creation rate). */
export interface Requester { address?: string }

/** idle rooms expired per sweep; the next sweep takes the rest */
const IDLE_EXPIRY_BATCH = 100;

export interface RoomEvents {
  /** a room went live (first publish) or its publisher came back inside the grace */
  live: [room: RoomRecord, resumed: boolean];
  /** the publisher dropped; the room stays live until the grace passes */
  publisherGone: [room: RoomRecord];
  ended: [room: RoomRecord];
  /** the room and its recordings are gone */
  deleted: [id: string];
}

export interface NewRoom { title: string; cover?: string }

export class RoomService {
  readonly events = new EventEmitter<RoomEvents>();
  private readonly now: () => number;
  private readonly perUser: PerMinute | null;
  private readonly perAddress: PerMinute | null;
  private readonly store: RoomStore;
  private idleSweptAt = -Infinity;

  constructor(private readonly opts: RoomServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.store = countingFullDisk(opts.store, () => opts.onLimit?.('storage_full', 'store'));
    const limits = opts.limits;
    const onLimit = opts.onLimit ?? (() => {});
    this.perUser = limits ? new PerMinute(limits.createPerUserPerMin, {
      code: 'room_create_rate_user', message: 'You are creating rooms too fast; try again in {s} s.',
    }, onLimit) : null;
    this.perAddress = limits ? new PerMinute(limits.createPerAddressPerMin, {
      code: 'room_create_rate_address', message: 'Too many rooms created from this address; try again in {s} s.',
    }, onLimit) : null;
  }

  async create(hostId: string, input: NewRoom, from: Requester = {}): Promise<RoomRecord> {
    await this.opts.mayHost?.(hostId);
    if (from.address !== undefined) await this.perAddress?.take(from.address);
    await this.perUser?.take(hostId);
    const now = this.now();
    const room: RoomRecord = {
      id: newRoomId(), title: input.title, cover: input.cover ?? null, hostId, status: 'idle',
      createdAt: now, startedAt: null, endedAt: null, broadcastId: null, disconnectedAt: null,
      pushGeneration: 0, pushIssuedAt: now,
    };
    const maxOpenPerHost = this.opts.limits?.maxOpenPerHost;
    if (!await this.store.insert(room, { maxOpenPerHost })) {
      this.opts.onLimit?.('open_rooms_per_host', hostId);
      throw new DomainError('conflict', 'too_many_open_rooms',
        `You already have ${maxOpenPerHost} open rooms; end one before creating another.`, { limit: maxOpenPerHost });
    }
    return room;
  }

  async get(id: string): Promise<RoomRecord> {
    const room = await this.store.get(id);
    if (!room) throw new RoomNotFound(id);
    return room;
  }

  /** The room, or null when there is none (no error). */
  find(id: string): Promise<RoomRecord | null> {
    return this.store.get(id);
  }

  async list(q: { status?: RoomStatus; limit: number; cursor?: string }): Promise<{ rooms: RoomRecord[]; nextCursor: string | null }> {
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    // one extra row tells whether another page exists without a count query
    const rows = await this.store.list({ status: q.status, limit: q.limit + 1, after });
    const rooms = rows.slice(0, q.limit);
    const last = rooms[rooms.length - 1];
    return { rooms, nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
  }

  count(status: RoomStatus): Promise<number> {
    return this.store.count(status);
  }

  /**
   * One-time keys every node shares, e.g. a callback's signature: null the first time `key` is claimed (until
   * `expiresAt`, epoch ms), else the value it was first claimed with.
   */
  claimOnce(key: string, value: string, expiresAt: number): Promise<string | null> {
    return this.store.claimOnce(key, value, expiresAt);
  }

  /** A fresh push URL; it revokes every earlier one of this room (see admitPublisher). */
  async pushTicket(id: string, actor: Actor, bases: UrlBases): Promise<PushTicket> {
    const room = await this.get(id);
    this.assertMayControl(room, actor);
    if (room.status === 'ended') throw refuseTransition(id, 'ended', 'live');
    const issued = await this.store.issuePushTicket(id, this.now());
    if (!issued) throw refuseTransition(id, 'ended', 'live'); // ended (or deleted) since it was read
    return this.opts.urls.push(id, this.expiry(this.opts.pushTtlS), bases, issued.pushGeneration);
  }

  async playUrls(id: string, bases: UrlBases): Promise<PlayUrls> {
    const room = await this.get(id);
    if (room.status === 'ended') {
      throw new IllegalTransition('room_ended', `Room "${id}" has ended.`, { replay: this.replayUrl(room, bases) });
    }
    return this.opts.urls.play(id, this.expiry(this.opts.playTtlS), bases);
  }

  replayUrl(room: RoomRecord, bases: UrlBases): string | null {
    return room.broadcastId ? this.opts.urls.replay(room.id, room.broadcastId, bases) : null;
  }

  async end(id: string, actor: Actor): Promise<RoomRecord> {
    const room = await this.get(id);
    this.assertMayControl(room, actor);
    return this.transition(room, 'ended', { endedAt: this.now(), disconnectedAt: null });
  }

  /**
   * May this RTMP publisher go on? `generation` is the one its (already verified) push URL was signed with:
   * only the newest ticket publishes. Throws the refusal (unknown room, ended room, revoked ticket).
   */
  async admitPublisher(id: string, generation: number): Promise<RoomRecord> {
    const room = await this.get(id);
    if (room.status === 'ended') throw refuseTransition(id, 'ended', 'live');
    if (generation !== room.pushGeneration) {
      throw new Forbidden(`A newer push URL was issued for room "${id}"; publish with the latest one.`, 'push_ticket_revoked');
    }
    return room;
  }

  /**
   * First media from a publisher: idle → live (as broadcast `broadcastId`, which the media may have started
   * recording already), or a reconnect inside the grace (the room's broadcast goes on).
   */
  async publisherStarted(id: string, broadcastId = newBroadcastId()): Promise<RoomRecord> {
    const room = await this.get(id);
    if (room.status === 'idle') {
      const live = await this.transition(room, 'live', {
        startedAt: this.now(), broadcastId, disconnectedAt: null,
      });
      this.events.emit('live', live, false);
      return live;
    }
    if (room.status === 'ended') throw refuseTransition(id, 'ended', 'live');
    const resumed = await this.store.update(id, ['live'], { disconnectedAt: null });
    if (!resumed) throw refuseTransition(id, 'ended', 'live');
    this.events.emit('live', resumed, true);
    return resumed;
  }

  /** The publisher dropped: start the grace (the room stays live). */
  async publisherStopped(id: string): Promise<void> {
    const room = await this.store.update(id, ['live'], { disconnectedAt: this.now() }, { disconnectedAt: null });
    if (room) this.events.emit('publisherGone', room);
  }

  /**
   * After a media server restart no publisher is connected: start the grace for every live room that
   * still thinks it has one, so a host whose encoder reconnects keeps the broadcast.
   */
  async publishersLost(): Promise<number> {
    let n = 0;
    for (let page = await this.store.list({ status: 'live', limit: 100 }); page.length > 0;) {
      for (const room of page) {
        if (room.disconnectedAt === null && await this.store.update(room.id, ['live'], { disconnectedAt: this.now() }, { disconnectedAt: null })) n++;
      }
      const last = page[page.length - 1]!;
      page = await this.store.list({ status: 'live', limit: 100, after: { createdAt: last.createdAt, id: last.id } });
    }
    return n;
  }

  /**
   * End every live room whose publisher stayed away past the grace, and every idle room nobody published to
   * before its newest push ticket expired. Safe to run on many nodes.
   */
  async sweep(): Promise<RoomRecord[]> {
    const ended = await this.expireIdle();
    for (const room of await this.store.listDisconnected(this.now() - this.opts.graceMs)) {
      const done = await this.store.update(room.id, ['live'],
        { status: 'ended', endedAt: this.now(), disconnectedAt: null }, { disconnectedAt: room.disconnectedAt });
      if (done) {
        this.events.emit('ended', done);
        ended.push(done);
      }
    }
    return ended;
  }

  private async expireIdle(): Promise<RoomRecord[]> {
    const ended: RoomRecord[] = [];
    if (this.now() - this.idleSweptAt < (this.opts.idleSweepEveryMs ?? 10_000)) return ended;
    this.idleSweptAt = this.now();
    // the ticket's expiry is rounded up to the second (expiry()): past that second it cannot publish
    const before = this.now() - this.opts.pushTtlS * 1000 - 1000;
    for (const room of await this.store.listIdleIssuedBefore(before, IDLE_EXPIRY_BATCH)) {
      // a ticket issued meanwhile (pushIssuedAt moved) keeps the room
      const done = await this.store.update(room.id, ['idle'],
        { status: 'ended', endedAt: this.now() }, { pushIssuedAt: room.pushIssuedAt });
      if (done) {
        this.events.emit('ended', done);
        ended.push(done);
      }
    }
    return ended;
  }

  /** The room, when `actor` may change it and it has not ended: 404, 403 or 409 otherwise. */
  async openFor(id: string, actor: Actor): Promise<RoomRecord> {
    const room = await this.get(id);
    this.assertMayControl(room, actor);
    if (room.status === 'ended') throw new IllegalTransition('room_ended', `Room "${id}" has ended.`);
    return room;
  }

  /** Sets the cover URL of an idle or live room; null when it has ended (or gone) meanwhile. */
  setCover(id: string, cover: string): Promise<RoomRecord | null> {
    return this.store.update(id, ['idle', 'live'], { cover });
  }

  /** Delete a room and (through the `deleted` event) its recordings; a live room is ended first. */
  async delete(id: string, actor: Actor): Promise<void> {
    const room = await this.get(id);
    this.assertMayControl(room, actor);
    if (room.status !== 'ended') {
      await this.transition(room, 'ended', { endedAt: this.now(), disconnectedAt: null }).catch(() => undefined);
    }
    if (await this.store.delete(id)) this.events.emit('deleted', id);
  }

  private async transition(room: RoomRecord, to: RoomStatus, patch: RoomPatch): Promise<RoomRecord> {
    const next = await this.store.update(room.id, sourcesOf(to), { ...patch, status: to });
    if (!next) {
      // lost a race or the move is illegal: report against the state the store holds now
      const current = (await this.store.get(room.id)) ?? room;
      throw refuseTransition(room.id, current.status, to);
    }
    if (to === 'ended') this.events.emit('ended', next);
    return next;
  }

  private assertMayControl(room: RoomRecord, actor: Actor): void {
    if (actor.kind === 'user' && actor.userId !== room.hostId) {
      throw new Forbidden(`Only the host of room "${room.id}" may do that.`, 'not_room_host');
    }
  }

  private expiry(ttlS: number): number {
    return Math.ceil(this.now() / 1000 + ttlS);
  }
}
