// WebhookStore on the CloudBase document database, shared by every API node: `<prefix>webhook_deliveries`, the
// row id as _id. A node claims a due row with one conditional write (`where({_id, state, leaseUntil: <as read>})
// .update(lease)`): of two nodes racing for it one gets `updated: 1`, the other 0 and leaves the row alone.
import type { Logger } from 'pino';
import type { DeliveryOutcome, DeliveryPosition, DeliveryRecord, WebhookStore } from '../webhook-store';
import { cloudbaseCall, openCloudbaseDb, type CloudbaseConnection, type CloudbaseDb } from './cloudbase-db';

export interface CloudbaseWebhookStoreOptions extends CloudbaseConnection {
  /** put before the collection name (default none: `webhook_deliveries`) */
  prefix?: string;
}

type DeliveryDocument = Omit<DeliveryRecord, 'id'> & { _id: string };

const fromDocument = ({ _id, ...rest }: DeliveryDocument): DeliveryRecord => ({ id: _id, ...rest });

/** the service answers at most 1000 documents per list */
const PAGE_MAX = 1000;

export class CloudbaseWebhookStore implements WebhookStore {
  private readonly db: CloudbaseDb;
  private readonly name: string;
  private readonly log: Logger;

  constructor(opts: CloudbaseWebhookStoreOptions) {
    this.name = `${opts.prefix ?? ''}webhook_deliveries`;
    this.log = opts.log;
    this.db = openCloudbaseDb(opts);
  }

  private get rows() { return this.db.collection(this.name); }

  /** One SDK call; failures become a logged 503; a missing collection is created once and the call retried. */
  private call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    return cloudbaseCall(this.db, this.log, op, this.name, fn);
  }

  async enqueue(rows: DeliveryRecord[]): Promise<void> {
    for (const { id, ...rest } of rows) {
      // a row that exists already (enqueued again after a crash) keeps its first version
      await this.call('enqueue', () => this.rows.add({ _id: id, ...rest }).catch((err: unknown) => {
        if (!/E11000|duplicate key/i.test(String((err as { message?: unknown } | null)?.message))) throw err;
        return null;
      }));
    }
  }

  async claimDue(now: number, owner: string, leaseUntil: number, limit: number): Promise<DeliveryRecord[]> {
    if (limit <= 0) return [];
    const _ = this.db.command;
    const res = await this.call('claimDue', () => this.rows
      .where({ state: 'pending', nextAt: _.lte(now), leaseUntil: _.or(_.eq(null), _.lte(now)) })
      .orderBy('nextAt', 'asc').orderBy('createdAt', 'asc').limit(Math.min(limit, PAGE_MAX)).get());
    const claimed: DeliveryRecord[] = [];
    for (const doc of res.data as DeliveryDocument[]) {
      const taken = await this.call('claimDue', () => this.rows
        .where({ _id: doc._id, state: 'pending', leaseUntil: doc.leaseUntil })
        .update({ leaseOwner: owner, leaseUntil }));
      if ((taken.updated ?? 0) > 0) claimed.push({ ...fromDocument(doc), leaseOwner: owner, leaseUntil });
    }
    return claimed;
  }

  async settle(id: string, owner: string, o: DeliveryOutcome): Promise<boolean> {
    const res = await this.call('settle', () => this.rows.where({ _id: id, leaseOwner: owner })
      .update({ ...o, leaseOwner: null, leaseUntil: null }));
    return (res.updated ?? 0) > 0;
  }

  async list(q: { limit: number; after?: DeliveryPosition }): Promise<DeliveryRecord[]> {
    const _ = this.db.command;
    const filtered = q.after
      ? this.rows.where(_.or([{ createdAt: _.lt(q.after.createdAt) }, { createdAt: q.after.createdAt, _id: _.lt(q.after.id) }]))
      : this.rows;
    const res = await this.call('list', () =>
      filtered.orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(Math.min(q.limit, PAGE_MAX)).get());
    return (res.data as DeliveryDocument[]).map(fromDocument);
  }

  async prune(keep: number): Promise<number> {
    const _ = this.db.command;
    const res = await this.call('prune', () =>
      this.rows.where({}).orderBy('createdAt', 'desc').orderBy('_id', 'desc').skip(keep).limit(PAGE_MAX).get());
    const ids = (res.data as DeliveryDocument[]).filter((d) => d.state !== 'pending').map((d) => d._id);
    if (ids.length === 0) return 0;
    const gone = await this.call('prune', () => this.rows.where({ _id: _.in(ids), state: _.neq('pending') }).remove());
    return Number(gone.deleted ?? 0);
  }

  async close(): Promise<void> {
    // the SDK keeps no connection open
  }
}
