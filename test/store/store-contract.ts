// The RoomStore contract: every store implementation (SQLite, CloudBase, …) must pass this suite.
// It speaks only through the RoomStore interface, so nothing here may assume SQL or a file.
// `open()` must give an empty store each time; `reopen` is needed by the persistence test.
import type { RoomStatus } from '../../typings/api';
import type { RoomRecord, RoomStore } from '../../server/store/room-store';
import { describeCursorTampering } from './cursor-contract';

export interface OpenedStore {
  store: RoomStore;
  /** close and open the same data again (persistence); omit where the store cannot be reopened */
  reopen?: () => Promise<RoomStore>;
  /** a second, independent handle on the same data (another connection/process); used for races */
  second?: () => Promise<RoomStore>;
  close: () => Promise<void>;
}

let seq = 0;
/** A room record with a unique id; ids are 12 base62 chars like the real ones. */
export function record(over: Partial<RoomRecord> = {}): RoomRecord {
  seq += 1;
  return {
    id: `t${String(seq).padStart(5, '0')}${Math.random().toString(36).slice(2, 8).padEnd(6, '0')}`.slice(0, 12),
    title: `room ${seq}`, cover: null, hostId: 'host-1', status: 'idle',
    createdAt: 1_700_000_000_000 + seq * 1000, startedAt: null, endedAt: null,
    broadcastId: null, disconnectedAt: null, pushGeneration: 0, pushIssuedAt: 1_700_000_000_000 + seq * 1000, ...over,
  };
}

const ids = (rooms: RoomRecord[]) => rooms.map((r) => r.id);
/** newest first, ties on createdAt broken by id, both descending */
const newestFirst = (rooms: RoomRecord[]) =>
  [...rooms].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));

export function runRoomStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`RoomStore contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: RoomStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => { await opened.close(); });
    describeCursorTampering(() => store);

    test('insert then get returns the same record; unknown id gives null', async () => {
      const r = record({ cover: 'https://example.com/c.png', title: '中文 title ✓' });
      await store.insert(r);
      expect(await store.get(r.id)).toEqual(r);
      expect(await store.get('nope00000000')).toBeNull();
    });

    test('inserting an existing id is refused and keeps the first record', async () => {
      const r = record();
      await store.insert(r);
      // caught by hand: drivers' error classes (better-sqlite3's SqliteError) may not pass jest's
      // cross-realm Error check in worker processes, and any rejection is a refusal here
      const refused = await store.insert({ ...r, title: 'other' }).then(() => false, () => true);
      expect(refused).toBe(true);
      expect((await store.get(r.id))?.title).toBe(r.title);
    });

    test('list: newest first, ties on createdAt broken by id descending, limit respected', async () => {
      const t = 1_800_000_000_000;
      const rooms = [record({ createdAt: t }), record({ createdAt: t + 5 }), record({ createdAt: t, id: 'zzzzzzzzzzz1' }),
        record({ createdAt: t, id: '000000000001' }), record({ createdAt: t - 5 })];
      for (const r of rooms) await store.insert(r);
      expect(ids(await store.list({ limit: 10 }))).toEqual(ids(newestFirst(rooms)));
      expect(ids(await store.list({ limit: 2 }))).toEqual(ids(newestFirst(rooms)).slice(0, 2));
    });

    test('list: status filter', async () => {
      const rooms = [record({ status: 'idle' }), record({ status: 'live', startedAt: 1 }), record({ status: 'ended', endedAt: 2 }),
        record({ status: 'live', startedAt: 3 })];
      for (const r of rooms) await store.insert(r);
      for (const status of ['idle', 'live', 'ended'] as RoomStatus[]) {
        expect(ids(await store.list({ status, limit: 10 }))).toEqual(ids(newestFirst(rooms.filter((r) => r.status === status))));
      }
    });

    test('list: paging with `after` visits every room exactly once, also across createdAt ties', async () => {
      const t = 1_900_000_000_000;
      // groups of equal createdAt make the id tie-break matter at page edges
      const rooms = Array.from({ length: 23 }, (_, i) => record({ createdAt: t + Math.floor(i / 4) }));
      for (const r of rooms) await store.insert(r);
      const seen: string[] = [];
      let after: { createdAt: number; id: string } | undefined;
      for (let page = 0; page < 20; page++) {
        const rows = await store.list({ limit: 5, after });
        expect(rows.length).toBeLessThanOrEqual(5);
        seen.push(...ids(rows));
        if (rows.length < 5) break;
        const last = rows[rows.length - 1]!;
        after = { createdAt: last.createdAt, id: last.id };
      }
      expect(seen).toEqual(ids(newestFirst(rooms)));
    });

    test('list: `after` combines with the status filter', async () => {
      const rooms = Array.from({ length: 8 }, (_, i) => record({ status: i % 2 ? 'live' : 'idle' }));
      for (const r of rooms) await store.insert(r);
      const live = newestFirst(rooms.filter((r) => r.status === 'live'));
      const first = await store.list({ status: 'live', limit: 2 });
      expect(ids(first)).toEqual(ids(live.slice(0, 2)));
      const rest = await store.list({ status: 'live', limit: 10, after: { createdAt: first[1]!.createdAt, id: first[1]!.id } });
      expect(ids(rest)).toEqual(ids(live.slice(2)));
    });

    test('count by status', async () => {
      for (const status of ['idle', 'idle', 'live', 'ended', 'ended', 'ended'] as RoomStatus[]) await store.insert(record({ status }));
      expect(await store.count('idle')).toBe(2);
      expect(await store.count('live')).toBe(1);
      expect(await store.count('ended')).toBe(3);
    });

    test('update applies the patch only from the given states, and returns the new record', async () => {
      const r = record();
      await store.insert(r);
      expect(await store.update(r.id, ['live'], { status: 'ended', endedAt: 9 })).toBeNull();
      expect(await store.get(r.id)).toEqual(r);
      const live = await store.update(r.id, ['idle'], { status: 'live', startedAt: 5, broadcastId: 'b000000001' });
      expect(live).toEqual({ ...r, status: 'live', startedAt: 5, broadcastId: 'b000000001' });
      expect(await store.get(r.id)).toEqual(live);
      const ended = await store.update(r.id, ['idle', 'live'], { status: 'ended', endedAt: 7 });
      expect(ended).toEqual({ ...live, status: 'ended', endedAt: 7 });
    });

    test('update without a status change keeps the status; unknown ids give null', async () => {
      const r = record({ status: 'live', startedAt: 1 });
      await store.insert(r);
      expect(await store.update(r.id, ['live'], { disconnectedAt: 42 })).toEqual({ ...r, disconnectedAt: 42 });
      expect(await store.update('nope00000000', ['idle', 'live', 'ended'], { status: 'ended', endedAt: 1 })).toBeNull();
    });

    test('update honours `expect`, including an expected null', async () => {
      const r = record({ status: 'live', startedAt: 1, broadcastId: 'b000000001' });
      await store.insert(r);
      // expected null holds → applies
      const gone = await store.update(r.id, ['live'], { disconnectedAt: 100 }, { disconnectedAt: null });
      expect(gone?.disconnectedAt).toBe(100);
      // expected null no longer holds → refused, record unchanged
      expect(await store.update(r.id, ['live'], { disconnectedAt: 200 }, { disconnectedAt: null })).toBeNull();
      // wrong value → refused; right value → applies
      expect(await store.update(r.id, ['live'], { status: 'ended', endedAt: 300 }, { disconnectedAt: 99 })).toBeNull();
      expect(await store.update(r.id, ['live'], { status: 'ended', endedAt: 300 }, { disconnectedAt: 100, broadcastId: 'b000000002' }))
        .toBeNull();
      const ended = await store.update(r.id, ['live'], { status: 'ended', endedAt: 300, disconnectedAt: null },
        { disconnectedAt: 100, broadcastId: 'b000000001' });
      expect(ended).toEqual({ ...r, status: 'ended', endedAt: 300, disconnectedAt: null });
      expect(await store.get(r.id)).toEqual(ended);
    });

    test('update with an empty `from` changes nothing', async () => {
      const r = record();
      await store.insert(r);
      expect(await store.update(r.id, [], { status: 'ended', endedAt: 1 })).toBeNull();
      expect((await store.get(r.id))?.status).toBe('idle');
    });

    test('listDisconnected: live rooms whose publisher dropped at or before the time', async () => {
      const early = record({ status: 'live', startedAt: 1, disconnectedAt: 1000 });
      const edge = record({ status: 'live', startedAt: 1, disconnectedAt: 2000 });
      const late = record({ status: 'live', startedAt: 1, disconnectedAt: 3000 });
      const connected = record({ status: 'live', startedAt: 1 });
      const endedRoom = record({ status: 'ended', endedAt: 5, disconnectedAt: 500 });
      for (const r of [early, edge, late, connected, endedRoom]) await store.insert(r);
      expect(ids(await store.listDisconnected(2000)).sort()).toEqual([early.id, edge.id].sort());
      expect(await store.listDisconnected(999)).toEqual([]);
    });

    test('delete removes the room once', async () => {
      const r = record();
      await store.insert(r);
      expect(await store.delete(r.id)).toBe(true);
      expect(await store.get(r.id)).toBeNull();
      expect(await store.delete(r.id)).toBe(false);
      expect(await store.count('idle')).toBe(0);
    });

    test('insert with maxOpenPerHost: stored while the host has fewer idle or live rooms, refused (false) at the cap', async () => {
      expect(await store.insert(record({ hostId: 'capped' }), { maxOpenPerHost: 2 })).toBe(true);
      expect(await store.insert(record({ hostId: 'capped', status: 'live', startedAt: 1 }), { maxOpenPerHost: 2 })).toBe(true);
      await store.insert(record({ hostId: 'capped', status: 'ended', endedAt: 2 })); // ended rooms do not count
      const refused = record({ hostId: 'capped' });
      expect(await store.insert(refused, { maxOpenPerHost: 2 })).toBe(false);
      expect(await store.get(refused.id)).toBeNull();
      expect(await store.insert(record({ hostId: 'another' }), { maxOpenPerHost: 2 })).toBe(true);
      expect(await store.insert(record({ hostId: 'capped' }))).toBe(true); // no cap given: not limited
    });

    test('issuePushTicket: the next generation and its time, for idle and live rooms only', async () => {
      const r = record();
      await store.insert(r);
      expect(await store.issuePushTicket(r.id, 5000)).toEqual({ ...r, pushGeneration: 1, pushIssuedAt: 5000 });
      const live = await store.update(r.id, ['idle'], { status: 'live', startedAt: 6 });
      expect(await store.issuePushTicket(r.id, 6000)).toEqual({ ...live, pushGeneration: 2, pushIssuedAt: 6000 });
      await store.update(r.id, ['live'], { status: 'ended', endedAt: 7 });
      expect(await store.issuePushTicket(r.id, 7000)).toBeNull();
      expect((await store.get(r.id))?.pushGeneration).toBe(2);
      expect(await store.issuePushTicket('nope00000000', 1)).toBeNull();
    });

    test('update honours an expected pushIssuedAt', async () => {
      const r = record({ pushIssuedAt: 100 });
      await store.insert(r);
      expect(await store.update(r.id, ['idle'], { status: 'ended', endedAt: 1 }, { pushIssuedAt: 99 })).toBeNull();
      expect(await store.update(r.id, ['idle'], { status: 'ended', endedAt: 1 }, { pushIssuedAt: 100 })).toMatchObject({ status: 'ended' });
    });

    test('listIdleIssuedBefore: idle rooms whose newest ticket is at or before the time, oldest first, at most limit', async () => {
      const old = record({ pushIssuedAt: 1000 });
      const edge = record({ pushIssuedAt: 2000 });
      const fresh = record({ pushIssuedAt: 3000 });
      const live = record({ status: 'live', startedAt: 1, pushIssuedAt: 500 });
      const ended = record({ status: 'ended', endedAt: 1, pushIssuedAt: 500 });
      for (const r of [edge, fresh, old, live, ended]) await store.insert(r);
      expect(ids(await store.listIdleIssuedBefore(2000, 10))).toEqual([old.id, edge.id]);
      expect(ids(await store.listIdleIssuedBefore(2000, 1))).toEqual([old.id]);
      expect(await store.listIdleIssuedBefore(999, 10)).toEqual([]);
    });

    test('claimOnce: the first claim of a key gets null, later ones the first value; expired keys are forgotten', async () => {
      const soon = Date.now() + 60_000;
      expect(await store.claimOnce('k1', 'first', soon)).toBeNull();
      expect(await store.claimOnce('k1', 'second', soon)).toBe('first');
      expect(await store.claimOnce('k2', 'other', soon)).toBeNull();
      expect(await store.claimOnce('gone', 'old', Date.now() - 1)).toBeNull();
      expect(await store.claimOnce('gone', 'new', soon)).toBeNull(); // the expired claim no longer counts
      expect(await store.claimOnce('gone', 'newer', soon)).toBe('new');
    });

    test('claimOnce from two handles at once: exactly one claims the key', async () => {
      const other = opened.second ? await opened.second() : store;
      for (let round = 0; round < 5; round++) {
        const key = `race-${round}-${Math.random()}`;
        const got = await Promise.all([store.claimOnce(key, 'a', Date.now() + 60_000), other.claimOnce(key, 'b', Date.now() + 60_000)]);
        // the loser is told the winner's value
        expect(got[0] === null ? ['a', got[1]] : [got[0], got[1]]).toEqual(got[0] === null ? ['a', 'a'] : ['b', null]);
      }
    });

    test('rooms survive closing and reopening the store', async () => {
      if (!opened.reopen) throw new Error(`${name}: the contract needs reopen() to test persistence`);
      const rooms = [record(), record({ status: 'live', startedAt: 7, broadcastId: 'b000000001', disconnectedAt: 8 })];
      for (const r of rooms) await store.insert(r);
      store = await opened.reopen();
      expect(await store.get(rooms[0]!.id)).toEqual(rooms[0]);
      expect(await store.get(rooms[1]!.id)).toEqual(rooms[1]);
      expect(ids(await store.list({ limit: 10 }))).toEqual(ids(newestFirst(rooms)));
    });

    test('two handles racing the same conditional update (idle → live, then live → ended): exactly one wins', async () => {
      // What this proves depends on the store. Over a network (CloudBase) the two calls overlap on the wire: a real
      // race. On SQLite two handles in one thread cannot interleave (better-sqlite3 is synchronous), so there it
      // proves that the loser's condition is checked by the database against the winner's committed write, not
      // against anything read earlier; sqlite.test.ts races two threads for real.
      const other = opened.second ? await opened.second() : store;
      for (let round = 0; round < 10; round++) {
        const r = record();
        await store.insert(r);
        const started = await Promise.all([
          store.update(r.id, ['idle'], { status: 'live', startedAt: 10 + round, broadcastId: 'a00000000' + round }),
          other.update(r.id, ['idle'], { status: 'live', startedAt: 20 + round, broadcastId: 'b00000000' + round }),
        ]);
        const live = started.filter((x) => x !== null);
        expect(live).toHaveLength(1);
        expect(await other.get(r.id)).toEqual(live[0]);
        const ended = await Promise.all([
          other.update(r.id, ['live'], { status: 'ended', endedAt: 30 + round }),
          store.update(r.id, ['live'], { status: 'ended', endedAt: 40 + round }),
        ]);
        const winners = ended.filter((x) => x !== null);
        expect(winners).toHaveLength(1);
        expect(await store.get(r.id)).toEqual(winners[0]);
        expect(winners[0]).toMatchObject({ status: 'ended', broadcastId: live[0]!.broadcastId });
      }
    });
  });
}
