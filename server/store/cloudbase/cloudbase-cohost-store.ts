// CohostStore on the CloudBase document database, shared by every API node: requests in `<prefix>cohost_requests`
// (_id `roomId/userId`), the line-up in `<prefix>cohost_guests` (_id `roomId/slot`, so adding to a taken slot is
// the database's duplicate-key refusal). Taking a request and removing a guest are conditional removes: of two
// nodes doing it at once, the one whose remove deleted the document wins.
import type { Logger } from 'pino';
import type { CohostGuestRecord, CohostRequestRecord, CohostStore } from '../cohost-store';
import { cloudbaseCall, openCloudbaseDb, type CloudbaseConnection, type CloudbaseDb } from './cloudbase-db';

export interface CloudbaseCohostStoreOptions extends CloudbaseConnection {
  /** put before the collection names (default none) */
  prefix?: string;
}

type RequestDocument = CohostRequestRecord & { _id: string };
type GuestDocument = CohostGuestRecord & { _id: string };

const isDuplicate = (err: unknown) => /E11000|duplicate key/i.test(String((err as { message?: unknown } | null)?.message));
const deleted = (res: unknown) => ((res as { deleted?: number }).deleted ?? 0) > 0;
const request = (d: RequestDocument): CohostRequestRecord => ({ roomId: d.roomId, userId: d.userId, nickname: d.nickname, at: d.at });
const guest = (d: GuestDocument): CohostGuestRecord => ({
  roomId: d.roomId, slot: d.slot, userId: d.userId, nickname: d.nickname, generation: d.generation, acceptedAt: d.acceptedAt,
});

export class CloudbaseCohostStore implements CohostStore {
  private readonly db: CloudbaseDb;
  private readonly requestsName: string;
  private readonly guestsName: string;
  private readonly log: Logger;

  constructor(opts: CloudbaseCohostStoreOptions) {
    this.requestsName = `${opts.prefix ?? ''}cohost_requests`;
    this.guestsName = `${opts.prefix ?? ''}cohost_guests`;
    this.log = opts.log;
    this.db = openCloudbaseDb(opts);
  }

  private call<T>(op: string, collection: string, fn: () => Promise<T>): Promise<T> {
    return cloudbaseCall(this.db, this.log, op, collection, fn);
  }

  private get requestDocs() { return this.db.collection(this.requestsName); }
  private get guestDocs() { return this.db.collection(this.guestsName); }

  async addRequest(r: CohostRequestRecord, staleBefore: number): Promise<boolean> {
    const id = `${r.roomId}/${r.userId}`;
    const res = await this.call('addRequest', this.requestsName, () => this.requestDocs.doc(id).get());
    const old = (res.data as RequestDocument[] | undefined)?.[0];
    if (old && old.at >= staleBefore) return false;
    await this.call('addRequest', this.requestsName, () => this.requestDocs.doc(id).set({ ...r }));
    return true;
  }

  async requests(roomId: string, since: number): Promise<CohostRequestRecord[]> {
    const _ = this.db.command;
    const res = await this.call('requests', this.requestsName, () =>
      this.requestDocs.where({ roomId, at: _.gte(since) }).orderBy('at', 'asc').limit(100).get());
    return (res.data as RequestDocument[]).map(request);
  }

  async takeRequest(roomId: string, userId: string, since: number): Promise<CohostRequestRecord | null> {
    const id = `${roomId}/${userId}`;
    const res = await this.call('takeRequest', this.requestsName, () => this.requestDocs.doc(id).get());
    const doc = (res.data as RequestDocument[] | undefined)?.[0];
    if (!doc) return null;
    const removed = await this.call('takeRequest', this.requestsName, () => this.requestDocs.where({ _id: id, at: doc.at }).remove());
    return deleted(removed) && doc.at >= since ? request(doc) : null;
  }

  async addGuest(g: CohostGuestRecord): Promise<boolean> {
    // the user on another slot already: the request it was accepted from is taken once, so this is a re-accept
    if ((await this.guests(g.roomId)).some((x) => x.userId === g.userId)) return false;
    return this.call('addGuest', this.guestsName, async () => {
      try {
        await this.guestDocs.add({ _id: `${g.roomId}/${g.slot}`, ...g });
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    });
  }

  async guests(roomId: string): Promise<CohostGuestRecord[]> {
    const res = await this.call('guests', this.guestsName, () => this.guestDocs.where({ roomId }).orderBy('slot', 'asc').limit(10).get());
    return (res.data as GuestDocument[]).map(guest);
  }

  async removeGuest(roomId: string, userId: string): Promise<CohostGuestRecord | null> {
    const res = await this.call('removeGuest', this.guestsName, () => this.guestDocs.where({ roomId, userId }).limit(1).get());
    const doc = (res.data as GuestDocument[] | undefined)?.[0];
    if (!doc) return null;
    const removed = await this.call('removeGuest', this.guestsName, () =>
      this.guestDocs.where({ _id: doc._id, generation: doc.generation }).remove());
    return deleted(removed) ? guest(doc) : null;
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.call('deleteRoom', this.requestsName, () => this.requestDocs.where({ roomId }).remove());
    await this.call('deleteRoom', this.guestsName, () => this.guestDocs.where({ roomId }).remove());
  }

  async close(): Promise<void> {
    // nothing to close: the SDK's keep-alive sockets time out on their own
  }
}
