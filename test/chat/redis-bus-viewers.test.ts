// Viewer counts under BUS=redis: each node's media counts, summed per room over the nodes through a Redis hash,
// with a dead node's count dropping out. A real redis-server, two RedisRoomBus "nodes" with fake media counts.
import { Redis } from 'ioredis';
import { RedisRoomBus } from '../../server/chat/redis-bus';
import { startRedisServer, type TestRedis } from '../helpers/redis-server';

let redis: TestRedis;
const buses: RedisRoomBus[] = [];
beforeAll(async () => { redis = await startRedisServer(); });
afterAll(async () => { await redis.close(); });
afterEach(async () => { await Promise.all(buses.splice(0).map((b) => b.close())); });

/** one node: its bus and the media viewer counts it serves itself */
async function node(now: () => number) {
  const bus = new RedisRoomBus({ url: redis.url, onError: () => {} });
  buses.push(bus);
  await bus.ready();
  const media = new Map<string, number>();
  const counts = bus.viewerCounts({ viewers: (id) => media.get(id) ?? 0 }, () => media.keys(), { now, staleMs: 5000 });
  return { bus, media, counts };
}

test('each node counts its own viewers; every node answers the sum', async () => {
  let now = 1_000_000;
  const a = await node(() => now);
  const b = await node(() => now);
  a.media.set('r', 3);
  b.media.set('r', 2);
  b.media.set('other', 7);
  expect(a.counts.viewers('r')).toBe(3); // before any exchange: this node's own
  expect(b.counts.viewers('r')).toBe(2); // (asking is what makes a node read a room)
  await a.counts.tick();
  await b.counts.tick();
  await a.counts.tick();
  expect(a.counts.viewers('r')).toBe(5);
  expect(b.counts.viewers('r')).toBe(5);
  expect(a.counts.viewers('other')).toBe(0); // not read yet: asked about just now
  await a.counts.tick();
  expect(a.counts.viewers('other')).toBe(7);
  // this node's own change shows at once, the other's at the next exchange
  a.media.set('r', 10);
  expect(a.counts.viewers('r')).toBe(12);
  b.media.delete('r');
  await b.counts.tick();
  await a.counts.tick();
  expect(a.counts.viewers('r')).toBe(10);
});

test('a node that stops leaves the sum at once; one that dies drops out after staleMs', async () => {
  let now = 1_000_000;
  const a = await node(() => now);
  const b = await node(() => now);
  const c = await node(() => now);
  a.media.set('r', 1);
  b.media.set('r', 2);
  c.media.set('r', 4);
  for (const n of [a, b, c]) await n.counts.tick();
  a.counts.viewers('r');
  await a.counts.tick();
  expect(a.counts.viewers('r')).toBe(7);
  await b.counts.stop(); // shutdown: its field deleted
  await a.counts.tick();
  expect(a.counts.viewers('r')).toBe(5);
  // c "dies": never writes again; its field goes stale
  now += 6000;
  await a.counts.tick();
  expect(a.counts.viewers('r')).toBe(1);
  const probe = new Redis(redis.url);
  expect(Number(await probe.pttl('wxlive:viewers:r'))).toBeGreaterThan(0); // the hash expires when nobody writes
  probe.disconnect();
});

test('start() exchanges on its own timer', async () => {
  const a = new RedisRoomBus({ url: redis.url, onError: () => {} });
  const b = new RedisRoomBus({ url: redis.url, onError: () => {} });
  buses.push(a, b);
  await Promise.all([a.ready(), b.ready()]);
  const ca = a.viewerCounts({ viewers: () => 4 }, () => ['r'], { everyMs: 50 });
  const cb = b.viewerCounts({ viewers: () => 6 }, () => ['r'], { everyMs: 50 });
  ca.start();
  cb.start();
  ca.viewers('r');
  const deadline = Date.now() + 2000;
  while (ca.viewers('r') !== 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(ca.viewers('r')).toBe(10);
});
