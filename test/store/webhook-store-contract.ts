// The WebhookStore contract: every implementation (SQLite, CloudBase, …) must pass this suite, through the port only.
import type { DeliveryRecord, WebhookStore } from '../../server/store/webhook-store';

export interface OpenedWebhookStore {
  store: WebhookStore;
  /** a second, independent handle on the same data (another node) */
  second: () => Promise<WebhookStore>;
  close: () => Promise<void>;
}

const T0 = 1_800_000_000_000;
let seq = 0;
/** A pending row of a fresh event, due at `createdAt` (T0 + a sequence) unless `over` says otherwise. */
export function delivery(over: Partial<DeliveryRecord> = {}): DeliveryRecord {
  seq += 1;
  const createdAt = T0 + seq;
  const eventId = `evt_${String(seq).padStart(6, '0')}`;
  return {
    id: `${eventId}.0`, eventId, type: 'room.live', url: 'http://127.0.0.1:9/hook', body: `{"id":"${eventId}"}`, createdAt,
    state: 'pending', attempts: 0, nextAt: createdAt, leaseOwner: null, leaseUntil: null, lastStatus: null, lastError: null, ...over,
  };
}

export function runWebhookStoreContract(name: string, open: () => Promise<OpenedWebhookStore>): void {
  describe(`WebhookStore contract: ${name}`, () => {
    let opened: OpenedWebhookStore;
    let store: WebhookStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => { await opened.close(); });

    test('rows come back newest first and page with `after` once each; enqueuing a row again keeps the first', async () => {
      const rows = Array.from({ length: 5 }, () => delivery());
      await store.enqueue(rows);
      await store.enqueue([{ ...rows[0]!, body: 'changed' }]);
      const first = await store.list({ limit: 3 });
      expect(first).toEqual([...rows].reverse().slice(0, 3));
      const last = first[2]!;
      expect(await store.list({ limit: 3, after: { createdAt: last.createdAt, id: last.id } })).toEqual([rows[1], rows[0]]);
    });

    test('claimDue takes due pending rows oldest first, within the limit, for the owner until the lease ends', async () => {
      const [a, b, later] = [delivery(), delivery(), delivery({ nextAt: T0 + 10_000 })];
      await store.enqueue([a!, b!, later!]);
      const now = T0 + 1000;
      const one = await store.claimDue(now, 'node1', now + 60_000, 1);
      expect(one.map((r) => r.id)).toEqual([a!.id]);
      expect(one[0]).toMatchObject({ leaseOwner: 'node1', leaseUntil: now + 60_000 });
      // a held row is nobody else's; the one not yet due waits
      expect((await store.claimDue(now, 'node2', now + 60_000, 10)).map((r) => r.id)).toEqual([b!.id]);
      expect(await store.claimDue(now, 'node3', now + 60_000, 10)).toEqual([]);
    });

    test('settle records the outcome and frees the row, only for the lease holder; an expired lease is claimed again', async () => {
      const row = delivery();
      await store.enqueue([row]);
      const now = T0 + 1000;
      await store.claimDue(now, 'node1', now + 100, 5);
      expect(await store.claimDue(now + 50, 'node2', now + 1000, 5)).toEqual([]);
      // node1 stalls past its lease: node2 takes the row, and node1's late answer counts no more
      expect((await store.claimDue(now + 100, 'node2', now + 1000, 5)).map((r) => r.id)).toEqual([row.id]);
      const retry = { state: 'pending' as const, attempts: 1, nextAt: now + 10_000, lastStatus: 500, lastError: 'HTTP 500' };
      expect(await store.settle(row.id, 'node1', retry)).toBe(false);
      expect(await store.settle(row.id, 'node2', retry)).toBe(true);
      const [kept] = await store.list({ limit: 1 });
      expect(kept).toMatchObject({ ...retry, leaseOwner: null, leaseUntil: null });
      expect(await store.claimDue(now + 9_999, 'node1', now + 20_000, 5)).toEqual([]);
      expect((await store.claimDue(now + 10_000, 'node1', now + 20_000, 5)).map((r) => r.attempts)).toEqual([1]);
      await store.settle(row.id, 'node1', { state: 'delivered', attempts: 2, nextAt: now + 10_000, lastStatus: 200, lastError: null });
      expect(await store.claimDue(now + 99_999, 'node2', now + 200_000, 5)).toEqual([]);
    });

    test('two nodes claiming at once never get the same row', async () => {
      const rows = Array.from({ length: 6 }, () => delivery());
      await store.enqueue(rows);
      const other = await opened.second();
      const now = T0 + 1000;
      const [mine, theirs] = await Promise.all([
        store.claimDue(now, 'node1', now + 60_000, 6), other.claimDue(now, 'node2', now + 60_000, 6),
      ]);
      const ids = [...mine, ...theirs].map((r) => r.id).sort();
      expect(ids).toEqual(rows.map((r) => r.id).sort());
    });

    test('prune deletes the oldest finished rows beyond `keep`, never a pending one', async () => {
      const old = [delivery({ state: 'delivered' }), delivery(), delivery({ state: 'failed' })];
      const recent = [delivery({ state: 'delivered' }), delivery({ state: 'delivered' })];
      await store.enqueue([...old, ...recent]);
      expect(await store.prune(2)).toBe(2);
      expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual([recent[1]!.id, recent[0]!.id, old[1]!.id]);
    });
  });
}
