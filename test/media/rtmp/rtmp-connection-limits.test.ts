// The RTMP listener's connection caps (issue 10, row 2): per address from the first byte, in total with slots
// only signed publishers may use, and players of rooms that are not live closed after a wait. Every client here
// shares 127.0.0.1, like a host behind the NAT of its audience: a signed publisher must still get in.
import type { RtmpIngestOptions } from '../../../server/media/rtmp/rtmp-ingest';
import { RawRtmpClient } from '../../helpers/rtmp-client';
import { roomId, startIngest, testHooks, until } from './rtmp-fixture';

/** a cap acts at once; this only absorbs a loaded machine */
const CLOSE_MS = 2000;

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  for (const c of clients) c.destroy();
  clients.length = 0;
  await stop?.();
  stop = null;
});

const clients: RawRtmpClient[] = [];

async function ingestWith(extra: Partial<RtmpIngestOptions>) {
  const refusals: Record<string, number> = {};
  const s = await startIngest(testHooks().hooks, {
    handshakeTimeoutMs: 60_000, ...extra, limitRefusals: { inc: ({ reason }) => { refusals[reason] = (refusals[reason] ?? 0) + 1; } },
  });
  stop = () => s.ingest.stop();
  return { ...s, refusals };
}

async function raw(port: number): Promise<RawRtmpClient> {
  const c = await RawRtmpClient.open(port);
  clients.push(c);
  return c;
}

async function start(port: number, kind: 'publish' | 'play', room: string): Promise<RawRtmpClient> {
  const c = await raw(port);
  await c.handshake();
  c.start(kind, port, `${room}?k=ok`);
  return c;
}

const PUBLISH_START = 'NetStream.Publish.Start';
const PLAY_START = 'NetStream.Play.Start';

test('the (cap+1)-th connection from an address evicts its oldest idle socket; a handshake is not needed to count', async () => {
  const s = await ingestWith({ maxPerIp: 5 });
  const first = await Promise.all(Array.from({ length: 5 }, () => raw(s.port)));
  // the server has seen all five once one of them answers a handshake (connections are accepted in order)
  await first[4]!.handshake();
  const sixth = await raw(s.port);
  await first[0]!.waitForClose(CLOSE_MS);
  await sixth.handshake();
  expect(first.slice(1).map((c) => c.isClosed)).toEqual([false, false, false, false]);
  expect(s.refusals).toEqual({ rtmp_per_ip: 1 });
});

test('an address full of live players: one more player is refused, a signed publisher still gets in', async () => {
  const s = await ingestWith({ maxPerIp: 5 });
  const live = roomId();
  const publisher = await start(s.port, 'publish', live);
  await publisher.waitForText(PUBLISH_START);
  const players = await Promise.all(Array.from({ length: 4 }, () => start(s.port, 'play', live)));
  await Promise.all(players.map((p) => p.waitForText(PLAY_START)));
  const extra = await start(s.port, 'play', live);
  await extra.waitForText('NetStream.Play.Failed');
  expect(extra.receivedText()).toContain('rtmp_per_ip');
  await extra.waitForClose(CLOSE_MS);
  const t0 = Date.now();
  const host = await start(s.port, 'publish', roomId());
  await host.waitForText(PUBLISH_START);
  expect(Date.now() - t0).toBeLessThan(2000);
  expect([publisher, ...players].map((c) => c.isClosed)).toEqual([false, false, false, false, false]);
  expect(s.refusals).toEqual({ rtmp_per_ip: 1 });
});

test('a room full of RTMP players refuses one more (rtmp_per_room); another room still takes players', async () => {
  const s = await ingestWith({ maxPlayersPerRoom: 3 });
  const live = roomId();
  const publisher = await start(s.port, 'publish', live);
  await publisher.waitForText(PUBLISH_START);
  const players = await Promise.all(Array.from({ length: 3 }, () => start(s.port, 'play', live)));
  await Promise.all(players.map((p) => p.waitForText(PLAY_START)));
  const extra = await start(s.port, 'play', live);
  await extra.waitForText('NetStream.Play.Failed');
  expect(extra.receivedText()).toContain('rtmp_per_room');
  const other = roomId();
  const otherHost = await start(s.port, 'publish', other);
  await otherHost.waitForText(PUBLISH_START);
  const elsewhere = await start(s.port, 'play', other);
  await elsewhere.waitForText(PLAY_START);
  expect([publisher, ...players].map((c) => c.isClosed)).toEqual([false, false, false, false]);
  expect(s.refusals).toEqual({ rtmp_per_room: 1 });
});

test('players never take the publishers\' reserve; signed publishers fill it, and past the total they are refused', async () => {
  const s = await ingestWith({ maxConnections: 8, publisherReserve: 3 });
  const live = roomId();
  const publisher = await start(s.port, 'publish', live);
  await publisher.waitForText(PUBLISH_START);
  // 8 - 3 = 5 slots for everyone else
  const players = await Promise.all(Array.from({ length: 5 }, () => start(s.port, 'play', live)));
  await Promise.all(players.map((p) => p.waitForText(PLAY_START)));
  const sixth = await start(s.port, 'play', live);
  await sixth.waitForText('NetStream.Play.Failed');
  expect(sixth.receivedText()).toContain('rtmp_connections');
  const hosts = [await start(s.port, 'publish', roomId()), await start(s.port, 'publish', roomId())];
  await Promise.all(hosts.map((h) => h.waitForText(PUBLISH_START)));
  const tooMany = await start(s.port, 'publish', roomId());
  await tooMany.waitForText('NetStream.Publish.BadName');
  expect(tooMany.receivedText()).toContain('rtmp_connections');
  await tooMany.waitForClose(CLOSE_MS);
  expect([publisher, ...players, ...hosts].some((c) => c.isClosed)).toBe(false);
  expect(s.refusals).toEqual({ rtmp_connections: 2 });
});

test('a player of a room that is not live is closed after the wait; one of a live room stays', async () => {
  const WAIT_MS = 1000;
  const s = await ingestWith({ idleViewerWaitMs: WAIT_MS });
  const live = roomId();
  const publisher = await start(s.port, 'publish', live);
  await publisher.waitForText(PUBLISH_START);
  const watching = await start(s.port, 'play', live);
  const waiting = await start(s.port, 'play', roomId());
  await Promise.all([watching.waitForText(PLAY_START), waiting.waitForText(PLAY_START)]);
  const t0 = Date.now();
  await waiting.waitForClose(WAIT_MS + CLOSE_MS);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(WAIT_MS - 300); // Play.Start reached the client (polled) a moment after the wait began
  expect(s.refusals).toEqual({ rtmp_idle_room: 1 });
  // the live room's player outlasts the wait, until its publisher leaves and the wait runs out for it too
  await until(() => Date.now() > t0 + 2 * WAIT_MS, 3 * WAIT_MS, 'two waits');
  expect(watching.isClosed).toBe(false);
  publisher.destroy();
  const gone = Date.now();
  await watching.waitForClose(WAIT_MS + CLOSE_MS);
  expect(Date.now() - gone).toBeGreaterThanOrEqual(WAIT_MS);
  expect(s.refusals).toEqual({ rtmp_idle_room: 2 });
});

test('co-host guest streams count in their room\'s RTMP players (rtmp_per_room): main and guest slots share the cap', async () => {
  const s = await ingestWith({ maxPlayersPerRoom: 3 });
  const live = roomId();
  const publisher = await start(s.port, 'publish', live);
  await publisher.waitForText(PUBLISH_START);
  const guest = await start(s.port, 'publish', `${live}~g1`);
  await guest.waitForText(PUBLISH_START);
  const players = await Promise.all([start(s.port, 'play', live), start(s.port, 'play', `${live}~g1`), start(s.port, 'play', `${live}~g1`)]);
  await Promise.all(players.map((p) => p.waitForText(PLAY_START)));
  const extra = await start(s.port, 'play', live);
  await extra.waitForText('NetStream.Play.Failed');
  expect(extra.receivedText()).toContain('rtmp_per_room');
  expect(s.ingest.roomRtmpViewers(live)).toBe(3);
  expect([s.ingest.rtmpViewers(live), s.ingest.rtmpViewers(`${live}~g1`)]).toEqual([1, 2]);
  expect(s.refusals).toEqual({ rtmp_per_room: 1 });
});
