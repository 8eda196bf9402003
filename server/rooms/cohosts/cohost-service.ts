// Co-hosting rules (issue 15), without HTTP or a socket library: viewers ask to join, the host (or the admin)
// accepts onto the lowest free slot, declines or removes, a guest leaves; the room's end clears it all. The
// requests and the line-up live in the CohostStore (every node sees the same), and each change is announced on
// the room bus for every node's sockets. It is also the GuestPublishCheck the media calls.
import { EventEmitter } from 'node:events';
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { CohostGuest, CohostPushResponse, CohostRequest, CohostsResponse, GuestPlayUrls, GuestSlot } from '../../../typings/cohost';
import { COHOST_REQUEST_TTL_S, GUEST_SLOTS } from '../../../typings/cohost';
import type { ChatUser, NoticeCode } from '../../../typings/chat';
import { DomainError, Forbidden, IllegalTransition, RoomNotFound } from '../../errors';
import { guestStream, verifyGuest } from '../../signing/guest-signature';
import type { CohostGuestRecord, CohostStore } from '../../store/cohost-store';
import type { RoomRecord } from '../../store/room-store';
import type { Actor, MediaUrls, UrlBases } from '../ports';
import type { RoomEvents } from '../room-service';
import type { CohostAnnouncer } from './cohost-announcement';
import type { GuestPublishCheck } from './guest-publish';

export interface CohostRooms {
  find(id: string): Promise<RoomRecord | null>;
  readonly events: EventEmitter<RoomEvents>;
}

export interface CohostServiceOptions {
  rooms: CohostRooms;
  store: CohostStore;
  bus: CohostAnnouncer;
  urls: MediaUrls;
  secret: string;
  pushTtlS: number;
  playTtlS: number;
  /** COHOST_MAX_GUESTS, 1–3 */
  maxGuests: number;
  requestTtlS?: number;
  log?: Logger;
  now?: () => number;
}

/** What a socket's cohost_request or cohost_leave comes to: a notice for the sender, or none. */
export type CohostOutcome = { code: NoticeCode; message: string } | null;

export class CohostFull extends DomainError {
  constructor(max: number) { super('conflict', 'cohost_full', `The host already has ${max} co-hosts.`, { limit: max }); }
}

export class CohostService implements GuestPublishCheck {
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly slots: readonly GuestSlot[];
  private readonly vacated = new EventEmitter<{ vacated: [roomId: string, slots: GuestSlot[]] }>();
  /** re-announces a room's requests when one expires (the host's list would keep it otherwise) */
  private readonly expiryTimers = new Set<NodeJS.Timeout>();
  private readonly detach: () => void;

  constructor(private readonly o: CohostServiceOptions) {
    this.now = o.now ?? Date.now;
    this.ttlMs = (o.requestTtlS ?? COHOST_REQUEST_TTL_S) * 1000;
    this.slots = GUEST_SLOTS.slice(0, Math.max(1, Math.min(GUEST_SLOTS.length, o.maxGuests)));
    const clear = (id: string) => void this.clear(id).catch((err: unknown) => this.fail(err, 'clearing the co-hosts of a room'));
    const onEnded = (room: RoomRecord) => clear(room.id);
    o.rooms.events.on('ended', onEnded);
    o.rooms.events.on('deleted', clear);
    this.detach = () => {
      o.rooms.events.off('ended', onEnded);
      o.rooms.events.off('deleted', clear);
    };
  }

  get maxGuests(): number {
    return this.slots.length;
  }

  // ---- the room socket ----

  /** A signed-in viewer asks to join the host (the caller has checked bans and the rate). */
  async request(roomId: string, user: ChatUser): Promise<CohostOutcome> {
    const room = await this.o.rooms.find(roomId);
    if (!room || room.status !== 'live') return { code: 'cohost_not_live', message: 'The host is not live; ask again once the broadcast has started.' };
    if (room.hostId === user.id) return { code: 'invalid_frame', message: 'You are the host of this room.' };
    const guests = await this.o.store.guests(roomId);
    if (guests.some((g) => g.userId === user.id)) return { code: 'cohost_requested', message: 'You are already co-hosting.' };
    if (guests.length >= this.maxGuests) return { code: 'cohost_full', message: `The host already has ${this.maxGuests} co-hosts.` };
    const now = this.now();
    if (await this.o.store.addRequest({ roomId, userId: user.id, nickname: user.nickname, at: now }, now - this.ttlMs)) {
      await this.announceRequests(roomId);
      const timer = setTimeout(() => {
        this.expiryTimers.delete(timer);
        void this.expired(roomId, user.id, now).catch((err: unknown) => this.fail(err, 'announcing expired requests'));
      }, this.ttlMs + 50);
      timer.unref();
      this.expiryTimers.add(timer);
    }
    return { code: 'cohost_requested', message: 'Your request was sent to the host.' };
  }

  /** The user withdraws its request or leaves the line-up. */
  async leave(roomId: string, userId: string): Promise<CohostOutcome> {
    if (await this.drop(roomId, userId)) return null;
    return { code: 'cohost_not_found', message: 'You have neither asked to join nor joined the host.' };
  }

  // ---- REST ----

  async view(roomId: string, actor: Actor | null): Promise<CohostsResponse> {
    const room = await this.room(roomId);
    const guests = await this.lineup(roomId);
    if (!actor || !this.controls(room, actor)) return { guests };
    return { guests, requests: await this.pending(roomId) };
  }

  /** The host or admin accepts a pending request onto the lowest free slot. */
  async accept(roomId: string, userId: string, actor: Actor): Promise<CohostsResponse> {
    const room = await this.room(roomId);
    this.assertControls(room, actor);
    if (room.status === 'ended') throw new IllegalTransition('room_ended', `Room "${roomId}" has ended.`);
    if (room.status !== 'live') throw new IllegalTransition('cohost_not_live', 'Guests can join only while the room is live.');
    let taken = new Set((await this.o.store.guests(roomId)).map((g) => g.slot));
    if (taken.size >= this.maxGuests) throw new CohostFull(this.maxGuests);
    const request = await this.o.store.takeRequest(roomId, userId, this.now() - this.ttlMs);
    if (!request) throw new DomainError('not_found', 'cohost_request_not_found', `User "${userId}" has no pending request in this room.`);
    // slots another node filled meanwhile are refused by the store: try the next, re-reading once
    for (let attempt = 0; attempt < 2; attempt++) {
      for (const slot of this.slots.filter((s) => !taken.has(s))) {
        const guest: CohostGuestRecord = {
          roomId, slot, userId, nickname: request.nickname, generation: randomInt(1, 2 ** 47), acceptedAt: this.now(),
        };
        if (await this.o.store.addGuest(guest)) {
          await this.announceAll(roomId);
          return { guests: await this.lineup(roomId), requests: await this.pending(roomId) };
        }
      }
      taken = new Set((await this.o.store.guests(roomId)).map((g) => g.slot));
    }
    await this.o.store.addRequest(request, Number.MAX_SAFE_INTEGER); // back in the queue where it was
    throw new CohostFull(this.maxGuests);
  }

  /** The host or admin declines a request or removes a guest; a user may do either to itself. */
  async remove(roomId: string, userId: string, actor: Actor): Promise<CohostsResponse> {
    const room = await this.room(roomId);
    const self = actor.kind === 'user' && actor.userId === userId;
    if (!self) this.assertControls(room, actor);
    const dropped = await this.drop(roomId, userId);
    if (!dropped) throw new DomainError('not_found', 'cohost_not_found', `User "${userId}" is neither a co-host nor asking to be one here.`);
    // a declined viewer hears it at once instead of waiting out its request
    if (dropped === 'request' && !self) await this.o.bus.publish(roomId, { kind: 'cohost_declined', userId, reason: 'declined' });
    return this.view(roomId, actor);
  }

  /** The accepted guest's push ticket for its slot; 403 not_cohost until accepted. */
  async pushTicket(roomId: string, userId: string, bases: UrlBases): Promise<CohostPushResponse> {
    const room = await this.room(roomId);
    if (room.status === 'ended') throw new IllegalTransition('room_ended', `Room "${roomId}" has ended.`);
    const guest = (await this.o.store.guests(roomId)).find((g) => g.userId === userId);
    if (!guest) throw new Forbidden('Only an accepted co-host gets a push URL; ask the host to accept you first.', 'not_cohost');
    if (!this.o.urls.guestPush) throw new DomainError('not_implemented', 'cohost_unsupported', 'Co-hosting is not offered with this media provider.');
    const push = this.o.urls.guestPush(roomId, guest.slot, userId, this.expiry(this.o.pushTtlS), bases, guest.generation);
    return { push, slot: guest.slot };
  }

  /**
   * Each guest's play URLs, slot order (none where the media provider offers no co-hosting). `expiresAtS`: the
   * room's play URLs' own, so one answer carries one signature.
   */
  async playUrls(roomId: string, bases: UrlBases, expiresAtS?: number): Promise<GuestPlayUrls[]> {
    const guestPlay = this.o.urls.guestPlay?.bind(this.o.urls);
    if (!guestPlay) return [];
    const expires = expiresAtS ?? this.expiry(this.o.playTtlS);
    return (await this.lineup(roomId)).map((g) => ({ slot: g.slot, user: g.user, ...guestPlay(roomId, g.slot, expires, bases) }));
  }

  // ---- GuestPublishCheck (the media) ----

  verify(roomId: string, slot: GuestSlot, query: Record<string, string | string[] | undefined>): string | null {
    const verdict = verifyGuest(this.o.secret, guestStream(roomId, slot), query, this.now() / 1000);
    return verdict.ok ? null : verdict.reason;
  }

  async admit(roomId: string, slot: GuestSlot, query: Record<string, string | string[] | undefined>): Promise<string | null> {
    const verdict = verifyGuest(this.o.secret, guestStream(roomId, slot), query, this.now() / 1000);
    if (!verdict.ok) return verdict.reason;
    const room = await this.o.rooms.find(roomId);
    if (!room) return 'room_not_found';
    if (room.status !== 'live') return 'room_not_live';
    const holder = (await this.o.store.guests(roomId)).find((g) => g.slot === slot);
    if (!holder || holder.userId !== verdict.params.user) return 'not_cohost';
    if (holder.generation !== verdict.params.gen) return 'cohost_ticket_revoked';
    return null;
  }

  onSlotsVacated(listener: (roomId: string, slots: GuestSlot[]) => void): void {
    this.vacated.on('vacated', listener);
  }

  async lineup(roomId: string): Promise<CohostGuest[]> {
    return (await this.o.store.guests(roomId)).map((g) => ({ slot: g.slot, user: { id: g.userId, nickname: g.nickname } }));
  }

  /** Pending requests, oldest first (expired ones left out). */
  async pending(roomId: string): Promise<CohostRequest[]> {
    return (await this.o.store.requests(roomId, this.now() - this.ttlMs))
      .map((r) => ({ user: { id: r.userId, nickname: r.nickname }, at: new Date(r.at).toISOString() }));
  }

  close(): void {
    this.detach();
    for (const t of this.expiryTimers) clearTimeout(t);
    this.expiryTimers.clear();
  }

  // ---- inside ----

  /** Takes the user off the line-up (its slot vacated) or out of the queue; null when it was in neither. */
  private async drop(roomId: string, userId: string): Promise<'guest' | 'request' | null> {
    const guest = await this.o.store.removeGuest(roomId, userId);
    if (guest) {
      this.emitVacated(roomId, [guest.slot]);
      await this.announceAll(roomId);
      return 'guest';
    }
    if (!await this.o.store.takeRequest(roomId, userId, 0)) return null;
    await this.announceRequests(roomId);
    return 'request';
  }

  /**
   * A request's time is up: the host's list loses it, and its requester is told, unless it was answered, withdrawn
   * or asked again meanwhile (then it is no longer the request made at `madeAt`). The stale record is left to be
   * replaced by the next request, so a new one made at this moment is never lost.
   */
  private async expired(roomId: string, userId: string, madeAt: number): Promise<void> {
    await this.announceRequests(roomId);
    const stored = (await this.o.store.requests(roomId, 0)).find((r) => r.userId === userId);
    if (stored?.at === madeAt) await this.o.bus.publish(roomId, { kind: 'cohost_declined', userId, reason: 'expired' });
  }

  /** The room ended or was deleted: every guest's slot is vacated, requests and line-up forgotten. */
  private async clear(roomId: string): Promise<void> {
    const guests = await this.o.store.guests(roomId);
    await this.o.store.deleteRoom(roomId);
    if (guests.length) this.emitVacated(roomId, guests.map((g) => g.slot));
    await this.o.bus.publish(roomId, { kind: 'cohosts', guests: [] });
    await this.o.bus.publish(roomId, { kind: 'cohost_requests', requests: [] });
  }

  private emitVacated(roomId: string, slots: GuestSlot[]): void {
    try {
      this.vacated.emit('vacated', roomId, slots);
    } catch (err) {
      this.fail(err, 'a slots-vacated listener'); // the change is stored: a listener's failure must not undo the answer
    }
  }

  private async announceAll(roomId: string): Promise<void> {
    await this.o.bus.publish(roomId, { kind: 'cohosts', guests: await this.lineup(roomId) });
    await this.announceRequests(roomId);
  }

  private async announceRequests(roomId: string): Promise<void> {
    await this.o.bus.publish(roomId, { kind: 'cohost_requests', requests: await this.pending(roomId) });
  }

  private async room(roomId: string): Promise<RoomRecord> {
    const room = await this.o.rooms.find(roomId);
    if (!room) throw new RoomNotFound(roomId);
    return room;
  }

  private controls(room: RoomRecord, actor: Actor): boolean {
    return actor.kind === 'admin' || actor.userId === room.hostId;
  }

  private assertControls(room: RoomRecord, actor: Actor): void {
    if (!this.controls(room, actor)) throw new Forbidden(`Only the host of room "${room.id}" or the admin may do that.`, 'not_room_host');
  }

  private expiry(ttlS: number): number {
    return Math.ceil(this.now() / 1000 + ttlS);
  }

  private fail(err: unknown, what: string): void {
    this.o.log?.error({ err }, `cohosts: ${what} failed`);
  }
}
