// Room rules: creation, listing, signed tickets, ending, and the lifecycle driven by media events.
// No HTTP here: callers get RoomRecords or typed DomainErrors.
import { EventEmitter } from 'node:events';
import type { PlayUrls, PushTicket, Room, RoomStatus } from '../../typings/api';
import { Forbidden, IllegalTransition, RoomNotFound } from '../errors';
import type { RoomPatch, RoomRecord, RoomStore } from '../store/room-store';
import { decodeCursor, encodeCursor } from './cursor';
import { newBroadcastId, newRoomId } from './ids';
import { refuseTransition, sourcesOf } from './lifecycle';
import type { Actor, MediaUrls, UrlBases, ViewerCounter } from './ports';
import { toRoom } from './room-view';

export interface RoomServiceOptions {
  store: RoomStore;
  urls: MediaUrls;
  viewers: ViewerCounter;
  pushTtlS: number;
  playTtlS: number;
  /** how long a live room waits for its publisher to come back */
  graceMs: number;
  now?: () => number;
}

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

  constructor(private readonly opts: RoomServiceOptions) {
    this.now = opts.now ?? Date.now;
  }

  async create(hostId: string, input: NewRoom): Promise<RoomRecord> {
    const room: RoomRecord = {
      id: newRoomId(), title: input.title, cover: input.cover ?? null, hostId, status: 'idle',
      createdAt: this.now(), startedAt: null, endedAt: null, broadcastId: null, disconnectedAt: null,
    };
    await this.opts.store.insert(room);
    return room;
  }

  async get(id: string): Promise<RoomRecord> {
    const room = await this.opts.store.get(id);
    if (!room) throw new RoomNotFound(id);
    return room;
  }

  /** The room, or null when there is none (no error). */
  find(id: string): Promise<RoomRecord | null> {
    return this.opts.store.get(id);
  }

  view(room: RoomRecord): Room {
    return toRoom(room, this.opts.viewers.viewers(room.id));
  }

  async list(q: { status?: RoomStatus; limit: number; cursor?: string }): Promise<{ rooms: RoomRecord[]; nextCursor: string | null }> {
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    // one extra row tells whether another page exists without a count query
    const rows = await this.opts.store.list({ status: q.status, limit: q.limit + 1, after });
    const rooms = rows.slice(0, q.limit);
    const last = rooms[rooms.length - 1];
    return { rooms, nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
  }

  count(status: RoomStatus): Promise<number> {
    return this.opts.store.count(status);
  }

  async pushTicket(id: string, actor: Actor, bases: UrlBases): Promise<PushTicket> {
    const room = await this.get(id);
    this.assertMayControl(room, actor);
    if (room.status === 'ended') throw refuseTransition(id, 'ended', 'live');
    return this.opts.urls.push(id, this.expiry(this.opts.pushTtlS), bases);
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

  /** May this RTMP publisher go on? Throws the refusal (unknown room, ended room). */
  async admitPublisher(id: string): Promise<RoomRecord> {
    const room = await this.get(id);
    if (room.status === 'ended') throw refuseTransition(id, 'ended', 'live');
    return room;
  }

  /** First media from a publisher: idle → live, or a reconnect inside the grace. */
  async publisherStarted(id: string): Promise<RoomRecord> {
    const room = await this.get(id);
    if (room.status === 'idle') {
      const live = await this.transition(room, 'live', {
        startedAt: this.now(), broadcastId: newBroadcastId(), disconnectedAt: null,
      });
      this.events.emit('live', live, false);
      return live;
    }
    if (room.status === 'ended') throw refuseTransition(id, 'ended', 'live');
    const resumed = await this.opts.store.update(id, ['live'], { disconnectedAt: null });
    if (!resumed) throw refuseTransition(id, 'ended', 'live');
    this.events.emit('live', resumed, true);
    return resumed;
  }

  /** The publisher dropped: start the grace (the room stays live). */
  async publisherStopped(id: string): Promise<void> {
    const room = await this.opts.store.update(id, ['live'], { disconnectedAt: this.now() }, { disconnectedAt: null });
    if (room) this.events.emit('publisherGone', room);
  }

  /**
   * After a media server restart no publisher is connected: start the grace for every live room that
   * still thinks it has one, so a host whose encoder reconnects keeps the broadcast.
   */
  async publishersLost(): Promise<number> {
    let n = 0;
    for (let page = await this.opts.store.list({ status: 'live', limit: 100 }); page.length > 0;) {
      for (const room of page) {
        if (room.disconnectedAt === null && await this.opts.store.update(room.id, ['live'], { disconnectedAt: this.now() }, { disconnectedAt: null })) n++;
      }
      const last = page[page.length - 1]!;
      page = await this.opts.store.list({ status: 'live', limit: 100, after: { createdAt: last.createdAt, id: last.id } });
    }
    return n;
  }

  /** End every live room whose publisher stayed away past the grace. Safe to run on many nodes. */
  async sweep(): Promise<RoomRecord[]> {
    const ended: RoomRecord[] = [];
    for (const room of await this.opts.store.listDisconnected(this.now() - this.opts.graceMs)) {
      const done = await this.opts.store.update(room.id, ['live'],
        { status: 'ended', endedAt: this.now(), disconnectedAt: null }, { disconnectedAt: room.disconnectedAt });
      if (done) {
        this.events.emit('ended', done);
        ended.push(done);
      }
    }
    return ended;
  }

  /** Delete a room and (through the `deleted` event) its recordings; a live room is ended first. */
  async delete(id: string, actor: Actor): Promise<void> {
    const room = await this.get(id);
    this.assertMayControl(room, actor);
    if (room.status !== 'ended') {
      await this.transition(room, 'ended', { endedAt: this.now(), disconnectedAt: null }).catch(() => undefined);
    }
    if (await this.opts.store.delete(id)) this.events.emit('deleted', id);
  }

  private async transition(room: RoomRecord, to: RoomStatus, patch: RoomPatch): Promise<RoomRecord> {
    const next = await this.opts.store.update(room.id, sourcesOf(to), { ...patch, status: to });
    if (!next) {
      // lost a race or the move is illegal: report against the state the store holds now
      const current = (await this.opts.store.get(room.id)) ?? room;
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
