// RoomStore on the CloudBase document database (@cloudbase/node-sdk 3.x), shared by every API node.
// State changes are single conditional writes (`where({_id, status: in(from), …expect}).update(patch)`),
// which the database applies atomically: of two nodes racing the same transition, exactly one sees
// `updated: 1`; the other gets null and the RoomService answers 409.
import type { Logger } from 'pino';
import type { RoomStatus } from '../../../typings/api';
import type { ListQuery, RoomExpect, RoomPatch, RoomRecord, RoomStore } from '../room-store';
import { cloudbaseCall, openCloudbaseDb, type CloudbaseConnection, type CloudbaseDb } from './cloudbase-db';
import { fromDocument, toDocument, type RoomDocument } from './room-document';

export interface CloudbaseStoreOptions extends CloudbaseConnection {
  collection?: string;
}

export const DEFAULT_COLLECTION = 'rooms';
/** the one-time keys (claimOnce) live beside the rooms, in `<collection>_once` */
const ONCE_SUFFIX = '_once';
/** expired one-time keys are removed at most this often per node */
const ONCE_PURGE_MS = 60_000;
export { DEFAULT_TIMEOUT_MS } from './cloudbase-db';
/** listDisconnected reads at most this many rooms per sweep; the next sweep takes the rest */
const SWEEP_BATCH = 1000;

type Conditions = Record<string, unknown>;

export class CloudbaseRoomStore implements RoomStore {
  private readonly db: CloudbaseDb;
  private readonly name: string;
  private readonly log: Logger;
  private lastOncePurge = 0;

  constructor(opts: CloudbaseStoreOptions) {
    this.name = opts.collection ?? DEFAULT_COLLECTION;
    this.log = opts.log;
    this.db = openCloudbaseDb(opts);
  }

  private get rooms() {
    return this.db.collection(this.name);
  }

  private get onceKeys() {
    return this.db.collection(this.name + ONCE_SUFFIX);
  }

  /**
   * Runs one SDK call; every failure becomes a logged 503. A missing collection (a fresh environment)
   * is created once and the call retried, so operators need no manual console step.
   */
  private call<T>(op: string, fn: () => Promise<T>, collection = this.name): Promise<T> {
    return cloudbaseCall(this.db, this.log, op, collection, fn);
  }

  async insert(room: RoomRecord, opts: { maxOpenPerHost?: number } = {}): Promise<boolean> {
    if (opts.maxOpenPerHost !== undefined) {
      // count, then add: the document database has no multi-document condition, so two requests of one host
      // racing may both pass (the per-user creation rate bounds that overshoot)
      const _ = this.db.command;
      const open = await this.call('countOpen', () => this.rooms.where({ hostId: room.hostId, status: _.in(['idle', 'live']) }).count());
      if ((open.total ?? 0) >= opts.maxOpenPerHost) return false;
    }
    await this.call('insert', () => this.rooms.add(toDocument(room)));
    return true;
  }

  async get(id: string): Promise<RoomRecord | null> {
    const res = await this.call('get', () => this.rooms.doc(id).get());
    const doc = (res.data as RoomDocument[] | undefined)?.[0];
    return doc ? fromDocument(doc) : null;
  }

  async list(q: ListQuery): Promise<RoomRecord[]> {
    const _ = this.db.command;
    const conds: object[] = [];
    if (q.status) conds.push({ status: q.status });
    if (q.after) {
      // keyset pagination on (createdAt desc, _id desc): strictly after the cursor's row
      const { createdAt, id } = q.after;
      conds.push(_.or([{ createdAt: _.lt(createdAt) }, { createdAt, _id: _.lt(id) }]));
    }
    const filtered = conds.length === 0 ? this.rooms : this.rooms.where(conds.length === 1 ? conds[0]! : _.and(conds));
    const res = await this.call('list', () =>
      filtered.orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(q.limit).get());
    return (res.data as RoomDocument[]).map(fromDocument);
  }

  async count(status: RoomStatus): Promise<number> {
    const res = await this.call('count', () => this.rooms.where({ status }).count());
    return res.total ?? 0;
  }

  async update(id: string, from: readonly RoomStatus[], patch: RoomPatch & { status?: RoomStatus },
    expect: RoomExpect = {}): Promise<RoomRecord | null> {
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const expected = Object.fromEntries(Object.entries(expect).filter(([, v]) => v !== undefined));
    if (from.length === 0 || Object.keys(set).length === 0) return null;
    const _ = this.db.command;
    const where: Conditions = { ...expected, _id: id, status: _.in([...from]) };
    const res = await this.call('update', () => this.rooms.where(where).update(set));
    const now = await this.get(id);
    if ((res.updated ?? 0) > 0) return now;
    // The database counts a write that changes nothing as 0 updated (MongoDB's nModified). If the
    // condition still holds and the values are already in place, that write succeeded: say so, as SQL would.
    if (now && from.includes(now.status) && holds(now, expected) && holds(now, set)) return now;
    return null;
  }

  async listDisconnected(before: number): Promise<RoomRecord[]> {
    const _ = this.db.command;
    const res = await this.call('listDisconnected', () => this.rooms
      .where({ status: 'live', disconnectedAt: _.neq(null).and(_.lte(before)) })
      .orderBy('disconnectedAt', 'asc').limit(SWEEP_BATCH).get());
    return (res.data as RoomDocument[]).map(fromDocument);
  }

  async issuePushTicket(id: string, at: number): Promise<RoomRecord | null> {
    const _ = this.db.command;
    // $inc is applied by the database: two nodes issuing at once get two generations
    const res = await this.call('issuePushTicket', () => this.rooms.where({ _id: id, status: _.in(['idle', 'live']) })
      .update({ pushGeneration: _.inc(1), pushIssuedAt: at }));
    return (res.updated ?? 0) > 0 ? this.get(id) : null;
  }

  async listIdleIssuedBefore(before: number, limit: number): Promise<RoomRecord[]> {
    const _ = this.db.command;
    // documents from before push generations have no pushIssuedAt and are not expired (see room-document.ts)
    const res = await this.call('listIdleIssuedBefore', () => this.rooms
      .where({ status: 'idle', pushIssuedAt: _.lte(before) })
      .orderBy('pushIssuedAt', 'asc').limit(Math.min(limit, SWEEP_BATCH)).get());
    return (res.data as RoomDocument[]).map(fromDocument);
  }

  async claimOnce(key: string, value: string, expiresAt: number): Promise<string | null> {
    const collection = this.name + ONCE_SUFFIX;
    this.purgeOnceKeys();
    // the _id is the key: of two nodes adding it at once, the database lets exactly one succeed
    const added = await this.call('claimOnce', async () => {
      try {
        await this.onceKeys.add({ _id: key, value, expiresAt });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    }, collection);
    if (added) return null;
    // an expired claim not purged yet is free: take it over with one conditional write (one node wins)
    const _ = this.db.command;
    const now = Date.now();
    const taken = await this.call('claimOnce', () => this.onceKeys.where({ _id: key, expiresAt: _.lt(now) })
      .update({ value, expiresAt }), collection);
    if ((taken.updated ?? 0) > 0) return null;
    const res = await this.call('claimOnce', () => this.onceKeys.doc(key).get(), collection);
    const doc = (res.data as { value?: unknown }[] | undefined)?.[0];
    return typeof doc?.value === 'string' ? doc.value : '';
  }

  /** Best effort, in the background: an expired key is refused by its expiry anyway, this only frees space. */
  private purgeOnceKeys(): void {
    const now = Date.now();
    if (now - this.lastOncePurge < ONCE_PURGE_MS) return;
    this.lastOncePurge = now;
    const _ = this.db.command;
    this.onceKeys.where({ expiresAt: _.lt(now) }).remove()
      .catch((err: unknown) => this.log.warn({ store: 'cloudbase', err: String(err) }, 'purging expired one-time keys failed'));
  }

  async delete(id: string): Promise<boolean> {
    const res = await this.call('delete', () => this.rooms.doc(id).remove());
    return (res.deleted ?? 0) > 0;
  }

  async close(): Promise<void> {
    // the SDK keeps no connection state worth closing: HTTP keep-alive sockets time out on their own
  }
}

/** MongoDB's duplicate-key refusal (E11000), as CloudBase passes it on. */
function isDuplicateKey(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /E11000|duplicate key/i.test(message);
}

function holds(room: RoomRecord, fields: Conditions): boolean {
  return Object.entries(fields).every(([k, v]) => (room as unknown as Conditions)[k] === v);
}
