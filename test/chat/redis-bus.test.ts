// BUS=redis: two RedisRoomBus instances (two "nodes") on one real redis-server (started here on a loopback
// port in a temp dir) pass every kind of room event to each other within 200 ms; reconnects, bounds, isolation.
import { Redis } from 'ioredis';
import type { BusEvent } from '../../server/chat/room-bus';
import { RedisRoomBus, redactUrl } from '../../server/chat/redis-bus';
import { startRedisServer, type TestRedis } from '../helpers/redis-server';

let redis: TestRedis;
const buses: RedisRoomBus[] = [];
const errors: { err: unknown; what: string }[] = [];

beforeAll(async () => { redis = await startRedisServer(); });
afterAll(async () => { await redis.close(); });
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
  errors.length = 0;
});

async function node(extra: Partial<ConstructorParameters<typeof RedisRoomBus>[0]> = {}): Promise<RedisRoomBus> {
  const bus = new RedisRoomBus({ url: redis.url, maxRetryDelayMs: 100, onError: (err, what) => errors.push({ err, what }), ...extra });
  buses.push(bus);
  await bus.ready();
  return bus;
}

/** Collects a room's events with the time each arrived. */
function listen(bus: RedisRoomBus, roomId: string) {
  const got: { e: BusEvent; at: number }[] = [];
  const off = bus.subscribe(roomId, (e) => got.push({ e, at: Date.now() }));
  return { got, off, events: () => got.map((g) => g.e) };
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** a subscription is live on Redis once it counts the channel's subscribers */
async function subscribed(channel: string, n: number): Promise<void> {
  const probe = new Redis(redis.url);
  try {
    const deadline = Date.now() + 3000;
    for (;;) {
      const [, count] = (await probe.pubsub('NUMSUB', channel)) as [string, number];
      if (Number(count) === n) return;
      if (Date.now() > deadline) throw new Error(`${channel} has ${count} subscribers, not ${n}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    probe.disconnect();
  }
}

const EVERY_KIND: BusEvent[] = [
  { kind: 'message', message: { id: 'm1', user: { id: 'u1', nickname: '小明' }, text: '主播好 👋', at: '2026-12-02T10:00:00.000Z' }, from: 'session-1', nonce: 'n-1' },
  { kind: 'deleted', id: 'm1' },
  { kind: 'likes', total: 42 },
  { kind: 'settings', settings: { slowModeS: 5, closed: false } },
  { kind: 'state', status: 'live' },
  // a kind this bus does not know of (added by the moderation slice) passes all the same: the bus is kind-agnostic
  { kind: 'banned', userId: 'u1' } as unknown as BusEvent,
  { kind: 'state', status: 'ended' },
  { kind: 'gone' },
];

test('every event kind published on node A reaches node B within 200 ms, in order, and A\'s own subscribers once', async () => {
  const a = await node();
  const b = await node();
  expect(a.nodeId).not.toBe(b.nodeId);
  const onA = listen(a, 'room-1');
  const onB = listen(b, 'room-1');
  await subscribed('wxlive:room:room-1', 2);
  for (const e of EVERY_KIND) {
    const sent = Date.now();
    const before = onB.got.length;
    await a.publish('room-1', e);
    await until(() => onB.got.length > before, 200);
    expect(onB.got[before]!.at - sent).toBeLessThan(200);
  }
  expect(onB.events()).toEqual(EVERY_KIND);
  // A's sockets had each event at publish, and its own copy coming back through Redis is skipped
  await new Promise((r) => setTimeout(r, 50));
  expect(onA.events()).toEqual(EVERY_KIND);
  // and the other way round
  await b.publish('room-1', { kind: 'likes', total: 43 });
  await until(() => onA.got.length === EVERY_KIND.length + 1, 200);
  expect(errors).toEqual([]);
});

test('a burst of 500 messages from two nodes arrives whole on both', async () => {
  const a = await node();
  const b = await node();
  const onA = listen(a, 'r');
  const onB = listen(b, 'r');
  await subscribed('wxlive:room:r', 2);
  for (let i = 0; i < 250; i++) {
    void a.publish('r', { kind: 'likes', total: i });
    void b.publish('r', { kind: 'likes', total: 1000 + i });
  }
  await until(() => onA.got.length === 500 && onB.got.length === 500, 2000);
  // each node's own events stay in publish order
  const mine = (got: BusEvent[], lo: number) => got.filter((e) => e.kind === 'likes' && e.total >= lo && e.total < lo + 1000).map((e) => (e as { total: number }).total);
  expect(mine(onB.events(), 0)).toEqual([...Array(250).keys()]);
  expect(mine(onA.events(), 1000)).toEqual([...Array(250).keys()].map((i) => 1000 + i));
});

test('rooms are separate channels, subscribed only while a node has a subscriber', async () => {
  const a = await node();
  const b = await node();
  const one = listen(b, 'one');
  const two = listen(b, 'two');
  await subscribed('wxlive:room:one', 1);
  await subscribed('wxlive:room:two', 1);
  await a.publish('one', { kind: 'likes', total: 1 });
  await until(() => one.got.length === 1, 200);
  expect(two.got).toEqual([]);
  one.off();
  two.off();
  expect(b.size).toBe(0);
  await subscribed('wxlive:room:one', 0);
  await a.publish('one', { kind: 'likes', total: 2 });
  await new Promise((r) => setTimeout(r, 50));
  expect(one.got).toHaveLength(1);
});

test('a subscriber that throws does not keep the event from the others', async () => {
  const a = await node();
  const b = await node();
  b.subscribe('r', () => { throw new Error('boom'); });
  const ok = listen(b, 'r');
  await subscribed('wxlive:room:r', 1);
  await a.publish('r', { kind: 'gone' });
  await until(() => ok.got.length === 1, 200);
  expect(errors.map((e) => e.what)).toEqual(['a room bus subscriber']);
});

test('Redis restarting: events on this node go on, and both nodes pass events again once reconnected (rooms joined meanwhile too)', async () => {
  const a = await node();
  const b = await node();
  const onA = listen(a, 'r');
  const onB = listen(b, 'r');
  await subscribed('wxlive:room:r', 2);
  await redis.stop();
  await a.publish('r', { kind: 'likes', total: 1 }); // Redis down: A's own sockets still get it
  expect(onA.events()).toEqual([{ kind: 'likes', total: 1 }]);
  const late = listen(b, 'late'); // joined during the outage
  await redis.start();
  await a.ready(5000);
  await b.ready(5000);
  await subscribed('wxlive:room:r', 2);
  await subscribed('wxlive:room:late', 1);
  const before = onB.got.length;
  await a.publish('r', { kind: 'likes', total: 2 });
  await a.publish('late', { kind: 'likes', total: 3 });
  await until(() => onB.got.length > before && late.got.length === 1, 1000);
  expect(onB.events().at(-1)).toEqual({ kind: 'likes', total: 2 });
  expect(errors.some((e) => /connection/.test(e.what))).toBe(true);
}, 20_000);

test('bounded while Redis is down: at most maxPending publishes wait, the rest are dropped and counted', async () => {
  const a = await node({ maxPending: 5 });
  const b = await node();
  const onB = listen(b, 'r');
  await subscribed('wxlive:room:r', 1);
  await redis.stop();
  try {
    for (let i = 0; i < 100; i++) await a.publish('r', { kind: 'likes', total: i });
    expect(a.pending).toBeLessThanOrEqual(5);
    expect(a.dropped).toBeGreaterThanOrEqual(95);
    // told at the first drop, not at each
    expect(errors.filter((e) => e.what === 'publishing to redis').length).toBeLessThanOrEqual(6);
  } finally {
    await redis.start();
  }
  await a.ready();
  await b.ready();
  await until(() => a.pending === 0, 5000);
  await subscribed('wxlive:room:r', 1);
  await a.publish('r', { kind: 'likes', total: 1000 });
  await until(() => onB.events().some((e) => e.kind === 'likes' && e.total === 1000), 1000);
  expect(onB.got.length).toBeLessThanOrEqual(6);
}, 20_000);

test('an event over maxEventBytes stays on its node; garbage on a room channel is refused', async () => {
  const a = await node({ maxEventBytes: 1024 });
  const b = await node();
  const onA = listen(a, 'r');
  const onB = listen(b, 'r');
  await subscribed('wxlive:room:r', 2);
  const big: BusEvent = { kind: 'message', message: { id: 'm', user: { id: 'u', nickname: 'n' }, text: 'x'.repeat(2000), at: '2026-12-02T10:00:00.000Z' } };
  await a.publish('r', big);
  expect(onA.events()).toEqual([big]);
  const raw = new Redis(redis.url);
  await raw.publish('wxlive:room:r', 'not json');
  await raw.publish('wxlive:room:r', JSON.stringify({ n: 'x', e: { nokind: true } }));
  await raw.publish('wxlive:room:r', JSON.stringify({ n: 'x', e: { kind: 'likes', total: 7 } }));
  raw.disconnect();
  await until(() => onB.got.length === 1, 500);
  expect(onB.events()).toEqual([{ kind: 'likes', total: 7 }]);
  expect(errors.map((e) => e.what).sort()).toEqual(['publishing (kept on this node)', 'receiving', 'receiving', 'receiving', 'receiving'].slice(0, errors.length).sort());
  expect(errors.filter((e) => e.what === 'receiving')).toHaveLength(4); // 2 garbage × 2 nodes
});

test('a key prefix keeps two deployments on one Redis apart', async () => {
  const a = await node({ prefix: 'one:' });
  const b = await node({ prefix: 'two:' });
  const onB = listen(b, 'r');
  await subscribed('two:room:r', 1);
  await a.publish('r', { kind: 'gone' });
  await new Promise((r) => setTimeout(r, 50));
  expect(onB.got).toEqual([]);
});

test('ready() fails in time on an unreachable REDIS_URL, without the password in the message; close is idempotent', async () => {
  const bus = new RedisRoomBus({ url: 'redis://:s3cret@127.0.0.1:1', onError: () => {} });
  await expect(bus.ready(300)).rejects.toThrow(/not reachable within 300 ms/);
  await expect(bus.ready(300)).rejects.not.toThrow(/s3cret/);
  await bus.close();
  await bus.close();
  expect(redactUrl('redis://user:pw@h:6379/0')).toBe('redis://user:***@h:6379/0');
});
