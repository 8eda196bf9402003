// The SQLite RoomStore against the store contract, on a real database file in a temp dir.
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { StorageFull } from '../../server/errors';
import type { RoomStore } from '../../server/store/room-store';
import { MIGRATIONS } from '../../server/store/sqlite/migrations';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';
import { record, runRoomStoreContract } from './store-contract';

function tempDb(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-store-'));
  return { dir, file: join(dir, 'nested', 'wxlive.db') };
}

runRoomStoreContract('sqlite', async () => {
  const { dir, file } = tempDb();
  const handles: RoomStore[] = [new SqliteRoomStore(file)];
  return {
    store: handles[0]!,
    async reopen() {
      await handles[0]!.close();
      handles[0] = new SqliteRoomStore(file);
      return handles[0];
    },
    async second() {
      const other = new SqliteRoomStore(file); // a second connection on the same file
      handles.push(other);
      return other;
    },
    async close() {
      for (const h of handles) await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite specifics', () => {
  let dir: string;
  let file: string;
  beforeEach(() => { ({ dir, file } = tempDb()); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  test('WAL journal, migrations recorded in user_version, list indices present', async () => {
    const store = new SqliteRoomStore(file);
    await store.insert(record());
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(1);
      const indices = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rooms'").all() as { name: string }[])
        .map((r) => r.name);
      expect(indices).toEqual(expect.arrayContaining(['rooms_newest', 'rooms_status_newest', 'rooms_disconnected']));
      // the status listing is served by its index, not a table scan
      const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT * FROM rooms WHERE status = 'live' ORDER BY created_at DESC, id DESC LIMIT 5")
        .all() as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).toMatch(/USING (COVERING )?INDEX rooms_status_newest/);
    } finally {
      db.close();
    }
  });

  test('reopening an existing database does not re-run migrations or lose rows', async () => {
    const r = record();
    const a = new SqliteRoomStore(file);
    await a.insert(r);
    await a.close();
    const b = new SqliteRoomStore(file); // would throw "table rooms already exists" if migrations re-ran
    expect(await b.get(r.id)).toEqual(r);
    await b.close();
  });

  test('two threads, each with its own connection, racing idle → live on the same rooms: exactly one wins each time', async () => {
    // better-sqlite3 is synchronous, so two connections in one thread can only take turns; threads really overlap,
    // and a store that checked the status in one statement and wrote in another would let both win
    const store = new SqliteRoomStore(file);
    const rooms = Array.from({ length: 200 }, () => record());
    for (const r of rooms) await store.insert(r);
    const gate = new SharedArrayBuffer(4);
    const workers: Worker[] = [];
    const race = (name: string) => new Promise<(string | null)[]>((resolve, reject) => {
      const w = new Worker(join(__dirname, 'race-worker.js'), { workerData: { file, ids: rooms.map((r) => r.id), name, gate } });
      workers.push(w);
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`racer ${name} exited (${code}) without a result`)));
    });
    // a racer that fails leaves the other waiting at the barrier: stop both either way
    const [a, b] = await Promise.all([race('a'), race('b')]).finally(() => Promise.all(workers.map((w) => w.terminate())));
    for (const [i, r] of rooms.entries()) {
      const winners = [a[i], b[i]].filter((x) => x !== null);
      expect([r.id, winners.length]).toEqual([r.id, 1]);
      expect(await store.get(r.id)).toEqual({ ...r, status: 'live', startedAt: i, broadcastId: winners[0] });
    }
    // both threads won some rounds: they did race, neither always ran first
    expect([a.some((x) => x !== null), b.some((x) => x !== null)]).toEqual([true, true]);
    await store.close();
  });

  test('a database of the first schema is migrated: its rooms keep their data, get generation 0 and their creation as ticket time', async () => {
    mkdirSync(dirname(file), { recursive: true });
    const v1 = new Database(file);
    v1.exec(MIGRATIONS[0]!);
    v1.pragma('user_version = 1');
    v1.prepare(`INSERT INTO rooms (id, title, cover, host_id, status, created_at, started_at, ended_at, broadcast_id, disconnected_at)
      VALUES ('OLDROOM00001', 'old', NULL, 'h', 'idle', 1700000000000, NULL, NULL, NULL, NULL)`).run();
    v1.close();
    const store = new SqliteRoomStore(file);
    expect(await store.get('OLDROOM00001')).toEqual({
      id: 'OLDROOM00001', title: 'old', cover: null, hostId: 'h', status: 'idle', createdAt: 1700000000000, startedAt: null,
      endedAt: null, broadcastId: null, disconnectedAt: null, pushGeneration: 0, pushIssuedAt: 1700000000000,
    });
    expect((await store.issuePushTicket('OLDROOM00001', 1700000005000))?.pushGeneration).toBe(1);
    expect(await store.listIdleIssuedBefore(1700000005000, 10)).toHaveLength(1);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  test('a full disk (SQLITE_FULL) is StorageFull (507), not a driver error, and reads still work', async () => {
    const store = new SqliteRoomStore(file);
    const kept = record();
    await store.insert(kept);
    // the database may not grow past its current pages: the next rooms fill the last free page, then hit SQLITE_FULL
    const db = (store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let err: unknown = null;
    for (let i = 0; i < 200 && err === null; i++) {
      err = await store.insert(record({ title: 'x'.repeat(2000) })).then(() => null, (e: unknown) => e);
    }
    expect(err).toBeInstanceOf(StorageFull);
    expect(err).toMatchObject({ kind: 'storage_full', code: 'storage_full' });
    expect(await store.get(kept.id)).toEqual(kept);
    await expect(store.claimOnce('k'.repeat(3000), 'v'.repeat(3000), Date.now() + 1000)).rejects.toBeInstanceOf(StorageFull);
    await store.close();
  });

  test('a title with SQL in it is stored as text', async () => {
    const store = new SqliteRoomStore(file);
    const r = record({ title: "x'); DROP TABLE rooms; --" });
    await store.insert(r);
    expect((await store.get(r.id))?.title).toBe(r.title);
    expect(await store.count('idle')).toBe(1);
    await store.close();
  });
});
