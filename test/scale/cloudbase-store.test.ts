// CloudbaseRoomStore through the real @cloudbase/node-sdk against the local CloudBase wire double:
// documents, keyset pagination, conditional transitions under a race, and failures mapped to 503.
import pino from 'pino';
import { IllegalTransition, ServiceUnavailable } from '../../server/errors';
import { RoomService } from '../../server/rooms/room-service';
import { CloudbaseRoomStore } from '../../server/store/cloudbase/cloudbase-room-store';
import type { RoomRecord } from '../../server/store/room-store';
import { keepSdkOnLoopback, startCloudbaseWireServer, type CloudbaseWireServer } from '../helpers/cloudbase-wire-server';
import { runRoomStoreContract } from '../store/store-contract';

keepSdkOnLoopback();

// The contract every RoomStore passes, here through the real SDK against a fresh CloudBase double each time.
// reopen/second are new SDK clients on the same database: another process, as far as the data is concerned.
runRoomStoreContract('cloudbase (real @cloudbase/node-sdk over the CloudBase wire protocol)', async () => {
  const db = await startCloudbaseWireServer();
  const open = () => new CloudbaseRoomStore({
    env: db.env, secretId: db.secretId, secretKey: db.secretKey, serviceUrl: db.serviceUrl, log: pino({ level: 'silent' }),
  });
  const handles = [open()];
  return {
    store: handles[0]!,
    async reopen() {
      await handles[0]!.close();
      handles[0] = open();
      return handles[0];
    },
    async second() {
      handles.push(open());
      return handles[handles.length - 1]!;
    },
    async close() {
      for (const h of handles) await h.close();
      await db.close();
    },
  };
});

let wire: CloudbaseWireServer;
let logLines: Record<string, unknown>[];

const memoryLog = () => pino({ level: 'info' }, { write: (s: string) => { logLines.push(JSON.parse(s)); } });

function openStore(overrides: { secretKey?: string; timeoutMs?: number } = {}): CloudbaseRoomStore {
  return new CloudbaseRoomStore({
    env: wire.env, secretId: wire.secretId, secretKey: overrides.secretKey ?? wire.secretKey,
    serviceUrl: wire.serviceUrl, timeoutMs: overrides.timeoutMs ?? 3000, log: memoryLog(),
  });
}

const room = (id: string, createdAt: number, extra: Partial<RoomRecord> = {}): RoomRecord => ({
  id, title: `room ${id}`, cover: null, hostId: 'host-1', status: 'idle', createdAt,
  startedAt: null, endedAt: null, broadcastId: null, disconnectedAt: null, pushGeneration: 0, pushIssuedAt: createdAt, ...extra,
});

const noUrls = {
  push: () => { throw new Error('not used'); },
  play: () => { throw new Error('not used'); },
  replay: () => null,
};
const service = (store: CloudbaseRoomStore) =>
  new RoomService({ store, urls: noUrls, pushTtlS: 60, playTtlS: 60, graceMs: 1000 });

describe('CloudbaseRoomStore specifics', () => {
  beforeEach(async () => {
    logLines = [];
    wire = await startCloudbaseWireServer();
  });
  afterEach(async () => { await wire.close(); });

  test('creates its collection on first use and stores a room as one document keyed by the room id', async () => {
    const store = openStore();
    expect(wire.collection('rooms')).toBeUndefined();
    const r = room('AAAAAAAAAAA1', 1_732_560_000_123, { cover: 'https://example.com/c.jpg' });
    await store.insert(r);
    expect(wire.collection('rooms')!.get('AAAAAAAAAAA1')).toEqual({
      _id: 'AAAAAAAAAAA1', title: 'room AAAAAAAAAAA1', cover: 'https://example.com/c.jpg', hostId: 'host-1', status: 'idle',
      createdAt: 1_732_560_000_123, startedAt: null, endedAt: null, broadcastId: null, disconnectedAt: null,
      pushGeneration: 0, pushIssuedAt: 1_732_560_000_123,
    });
    expect(await store.get('AAAAAAAAAAA1')).toEqual(r);
    expect(await store.get('nope00000000')).toBeNull();
    // the SDK really spoke the wire protocol: an insert of EJSON strings, then a DOC query by _id
    expect(wire.requests.map((q) => q.action)).toEqual([
      'database.insertDocument', 'database.addCollection', 'database.insertDocument', 'database.getDocument', 'database.getDocument',
    ]);
    expect(wire.requests[3]!.query).toEqual({ _id: 'AAAAAAAAAAA1' });
  });

  test('a document written before push generations reads as generation 0, issued at creation; its next ticket is generation 1', async () => {
    const store = openStore();
    await store.insert(room('AAAAAAAAAAA2', 1_732_560_000_000));
    const legacy = { ...wire.collection('rooms')!.get('AAAAAAAAAAA2')! };
    delete legacy.pushGeneration;
    delete legacy.pushIssuedAt;
    wire.collection('rooms')!.set('AAAAAAAAAAA2', legacy);
    expect(await store.get('AAAAAAAAAAA2')).toMatchObject({ pushGeneration: 0, pushIssuedAt: 1_732_560_000_000 });
    expect(await store.issuePushTicket('AAAAAAAAAAA2', 1_732_560_009_000)).toMatchObject({ pushGeneration: 1, pushIssuedAt: 1_732_560_009_000 });
  });

  test('one-time keys live in their own collection, keyed by the key, created on first use', async () => {
    const store = openStore();
    const expiresAt = Date.now() + 60_000;
    expect(await store.claimOnce('tencent:1700000600:abc', 'begin', expiresAt)).toBeNull();
    expect(wire.collection('rooms_once')!.get('tencent:1700000600:abc')).toEqual({ _id: 'tencent:1700000600:abc', value: 'begin', expiresAt });
    expect(await store.claimOnce('tencent:1700000600:abc', 'end', expiresAt)).toBe('begin');
  });

  test('lists newest first with keyset cursors that survive equal createdAt, filtered by status', async () => {
    const store = openStore();
    const t = 1_732_560_000_000;
    const rooms = [
      room('A00000000001', t), room('A00000000002', t + 5, { status: 'live' }), room('A00000000003', t + 5),
      room('A00000000004', t + 5, { status: 'live' }), room('A00000000005', t + 9, { status: 'ended' }),
    ];
    for (const r of rooms) await store.insert(r);
    const ids = (rs: RoomRecord[]) => rs.map((r) => r.id);
    const page1 = await store.list({ limit: 2 });
    expect(ids(page1)).toEqual(['A00000000005', 'A00000000004']);
    const page2 = await store.list({ limit: 2, after: { createdAt: page1[1]!.createdAt, id: page1[1]!.id } });
    expect(ids(page2)).toEqual(['A00000000003', 'A00000000002']);
    const page3 = await store.list({ limit: 2, after: { createdAt: page2[1]!.createdAt, id: page2[1]!.id } });
    expect(ids(page3)).toEqual(['A00000000001']);
    expect(ids(await store.list({ status: 'live', limit: 10 }))).toEqual(['A00000000004', 'A00000000002']);
    expect(ids(await store.list({ status: 'live', limit: 10, after: { createdAt: t + 5, id: 'A00000000004' } }))).toEqual(['A00000000002']);
    expect(await store.count('live')).toBe(2);
    expect(await store.count('ended')).toBe(1);
    expect(await store.delete('A00000000003')).toBe(true);
    expect(await store.delete('A00000000003')).toBe(false);
    expect(await store.count('idle')).toBe(1);
  });

  test('a conditional update applies only when the status and expected fields still hold', async () => {
    const store = openStore();
    await store.insert(room('B00000000001', 1));
    expect(await store.update('B00000000001', ['live'], { status: 'ended', endedAt: 5 })).toBeNull();
    const live = await store.update('B00000000001', ['idle'], { status: 'live', startedAt: 2, broadcastId: 'bc00000001' });
    expect(live).toMatchObject({ status: 'live', startedAt: 2, broadcastId: 'bc00000001' });
    // publisher dropped: only if nobody recorded a drop already
    expect(await store.update('B00000000001', ['live'], { disconnectedAt: 3 }, { disconnectedAt: null })).toMatchObject({ disconnectedAt: 3 });
    expect(await store.update('B00000000001', ['live'], { disconnectedAt: 4 }, { disconnectedAt: null })).toBeNull();
    expect(await store.listDisconnected(2)).toEqual([]);
    expect((await store.listDisconnected(3)).map((r) => r.id)).toEqual(['B00000000001']);
    // a write that changes nothing still succeeds when its condition holds (the database reports 0 modified)
    expect(await store.update('B00000000001', ['live'], { disconnectedAt: 3 })).toMatchObject({ status: 'live', disconnectedAt: 3 });
    expect(await store.update('B00000000001', ['idle'], { disconnectedAt: 3 })).toBeNull();
    expect(await store.update('missing00000', ['live'], { disconnectedAt: 3 })).toBeNull();
    expect(await store.get('B00000000001')).toMatchObject({ status: 'live', disconnectedAt: 3, endedAt: null });
  });

  test('two API nodes racing the same transition: exactly one wins, the other gets 409', async () => {
    const [nodeA, nodeB] = [service(openStore()), service(openStore())];
    for (let i = 0; i < 5; i++) {
      const created = await nodeA.create('host-1', { title: `race ${i}` });
      const starts = await Promise.allSettled([nodeA.publisherStarted(created.id), nodeB.publisherStarted(created.id)]);
      // the loser of idle → live sees the room live already: it resumes (no second broadcast id)
      const broadcastIds = new Set(starts.map((s) => (s.status === 'fulfilled' ? s.value.broadcastId : 'rejected')));
      const stored = await nodeB.get(created.id);
      expect(stored.status).toBe('live');
      expect([...broadcastIds].filter((b) => b !== 'rejected')).toEqual([stored.broadcastId]);

      const ends = await Promise.allSettled([nodeA.end(created.id, { kind: 'admin' }), nodeB.end(created.id, { kind: 'admin' })]);
      const won = ends.filter((e) => e.status === 'fulfilled');
      const lost = ends.filter((e): e is PromiseRejectedResult => e.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(IllegalTransition);
      expect(lost[0]!.reason.code).toBe('room_ended');
      expect((await nodeA.get(created.id)).endedAt).toBe((won[0] as PromiseFulfilledResult<RoomRecord>).value.endedAt);
    }
    // both nodes read before either wrote, so only the database's conditional write kept them apart
    const modifies = wire.requests.filter((r) => r.action === 'database.modifyDocument');
    expect(modifies.length).toBeGreaterThanOrEqual(20);
    // each transition is one where-update carrying its own condition (no read-modify-write)
    expect(modifies[modifies.length - 1]!.query).toEqual({ _id: expect.any(String), status: { $in: ['idle', 'live'] } });
    expect(modifies[modifies.length - 1]!.data).toEqual({ $set: { status: 'ended', endedAt: expect.any(Number), disconnectedAt: null } });
  });

  test('CloudBase errors, HTTP failures and timeouts become 503 store_unavailable, logged with the request id', async () => {
    const store = openStore({ timeoutMs: 400 });
    await store.insert(room('C00000000001', 1));

    wire.inject({ kind: 'tcb', code: 'SYS_ERR', message: 'system error' });
    const e1 = await store.get('C00000000001').catch((e) => e);
    expect(e1).toBeInstanceOf(ServiceUnavailable);
    expect(e1.code).toBe('store_unavailable');
    const logged = logLines.find((l) => l.cloudbaseCode === 'SYS_ERR')!;
    expect(logged).toMatchObject({ op: 'get', store: 'cloudbase' });
    expect(logged.cloudbaseRequestId).toMatch(/^[0-9a-f-]{36}$/);

    wire.inject({ kind: 'http', status: 502 });
    const e2 = await store.list({ limit: 5 }).catch((e) => e);
    expect(e2).toBeInstanceOf(ServiceUnavailable);
    expect(logLines.some((l) => l.cloudbaseCode === '502' && l.op === 'list')).toBe(true);
    wire.inject({ kind: 'http', status: 504, body: '<html>gateway timeout</html>' }); // not even JSON
    expect(await store.count('idle').catch((e) => e)).toBeInstanceOf(ServiceUnavailable);

    wire.inject({ kind: 'hang' });
    const started = Date.now();
    const e3 = await store.update('C00000000001', ['idle'], { status: 'ended', endedAt: 2 }).catch((e) => e);
    expect(e3).toBeInstanceOf(ServiceUnavailable);
    expect(e3.message).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(logLines.some((l) => l.msg === 'CloudBase request timed out' && l.op === 'update')).toBe(true);

    // after the faults, the same store works again
    expect((await store.get('C00000000001'))!.status).toBe('idle');
  });

  test('a wrong secret key is refused by the service and reported as 503, without logging the key', async () => {
    const key = 'wrong-key-0123456789';
    const store = openStore({ secretKey: key });
    const err = await store.count('live').catch((e) => e);
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect(logLines.some((l) => l.cloudbaseCode === 'SIGN_PARAM_INVALID')).toBe(true);
    expect(JSON.stringify(logLines)).not.toContain(key);
    expect(JSON.stringify(logLines)).not.toContain(wire.secretKey);
  });
});
