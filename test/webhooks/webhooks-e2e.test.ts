// Webhooks end to end, against a local receiver: a real server and a real ffmpeg publish → end cycle, a refused
// publish, the admin deliveries view, and a restart in the middle of the retries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookDeliveriesResponse } from '../../typings/api';
import { WEBHOOK_SECRET_FILE } from '../../server/webhooks/webhook-secret';
import { verifySignature } from '../../server/webhooks/webhook-signature';
import { killAll, publish } from '../helpers/ffmpeg';
import { call, createRoom } from '../helpers/http';
import { publishLive } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { sleep, until } from '../helpers/wait';
import { startReceiver, type Receiver } from './receiver';

const servers: TestServer[] = [];
const receivers: Receiver[] = [];

// one embedded RTMP ingest per process: each test's servers stop before the next test starts
afterEach(async () => {
  await killAll();
  for (const s of servers.splice(0)) await s.stop(true).catch(() => undefined);
  for (const r of receivers.splice(0)) await r.close();
});

const secretOf = (s: TestServer) => readFileSync(join(s.dataDir, WEBHOOK_SECRET_FILE), 'utf8').trim();
const validlySigned = (r: Receiver, secret: string) => r.received.every((x) =>
  verifySignature(String(x.headers['x-wxlive-signature']), x.body, secret, Math.floor(Date.now() / 1000)));

test('a publish → end cycle sends room.created, room.live, room.ended, replay.ready in order, each signed; the admin sees them delivered', async () => {
  const receiver = await startReceiver([200]);
  receivers.push(receiver);
  const s = await startTestServer({ WEBHOOK_URLS: receiver.url, HLS_FRAGMENT_S: '1' });
  servers.push(s);
  const { room, push, token } = await createRoom(s.url, 'webhooks cycle', 'host-wh');
  const pub = await publishLive(s.url, room.id, push.url);
  await sleep(2500); // a couple of segments recorded
  expect((await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token })).status).toBe(200);
  await pub.stop(2000);
  await until(() => receiver.received.some((r) => r.event.type === 'replay.ready'), 15_000, 'replay.ready');
  const mine = receiver.received.filter((r) => JSON.stringify(r.event.data).includes(room.id));
  expect(mine.map((r) => r.event.type)).toEqual(['room.created', 'room.live', 'room.ended', 'replay.ready']);
  expect(validlySigned(receiver, secretOf(s))).toBe(true);
  const [created, live, ended, ready] = mine.map((r) => r.event);
  expect(created!.data.room).toMatchObject({ id: room.id, status: 'idle' });
  expect(live!.data.room).toMatchObject({ id: room.id, status: 'live' });
  expect(ended!.data.room).toMatchObject({ id: room.id, status: 'ended' });
  expect(ready!.data).toEqual({ roomId: room.id, broadcastId: expect.any(String) });
  expect(new Set(mine.map((r) => r.event.id)).size).toBe(4);

  // the deliveries view: newest first, every one delivered at the first attempt; pages with the cursor
  await until(async () => {
    const r = await call<WebhookDeliveriesResponse>(s.url, 'GET', '/api/admin/webhooks/deliveries', { token: s.config.secrets.adminToken });
    return r.body.deliveries.length >= 4 && r.body.deliveries.every((d) => d.state === 'delivered');
  }, 5000, 'all delivered in the view');
  const page1 = await call<WebhookDeliveriesResponse>(s.url, 'GET', '/api/admin/webhooks/deliveries?limit=2', { token: s.config.secrets.adminToken });
  expect(page1.status).toBe(200);
  expect(page1.body.deliveries.map((d) => d.type)).toEqual(['replay.ready', 'room.ended']);
  expect(page1.body.deliveries[0]).toMatchObject({ url: receiver.url, attempts: 1, lastStatus: 200, lastError: null, nextAttemptAt: null });
  const page2 = await call<WebhookDeliveriesResponse>(s.url, 'GET',
    `/api/admin/webhooks/deliveries?limit=2&cursor=${page1.body.nextCursor}`, { token: s.config.secrets.adminToken });
  expect(page2.body.deliveries.map((d) => d.type)).toEqual(['room.live', 'room.created']);
  expect((await call(s.url, 'GET', '/api/admin/webhooks/deliveries')).status).toBe(401);
  expect((await call(s.url, 'GET', '/api/admin/webhooks/deliveries', { token })).status).toBe(403);

  // a publish with a forged signature is refused, and said so
  const forged = push.url.replace(/sign=[^&]+/, 'sign=' + 'A'.repeat(43));
  const bad = publish(forged, { durationS: 5 });
  await until(() => receiver.received.some((r) => r.event.type === 'publish.refused'), 10_000, 'publish.refused');
  await bad.stop(500);
  expect(receiver.received.find((r) => r.event.type === 'publish.refused')!.event.data).toEqual({ roomId: room.id, reason: expect.any(String) });
}, 60_000);

test('a server restart in the middle of the retries still delivers, with the same id and a valid signature', async () => {
  const receiver = await startReceiver([500, 200]);
  receivers.push(receiver);
  const first = await startTestServer({ WEBHOOK_URLS: receiver.url });
  const { room } = await createRoom(first.url, 'restart mid-retry', 'host-wr');
  await until(() => receiver.received.length >= 1, 5000, 'the first (failed) attempt');
  const admin = first.config.secrets.adminToken;
  await until(async () => (await call<WebhookDeliveriesResponse>(first.url, 'GET', '/api/admin/webhooks/deliveries', { token: admin }))
    .body.deliveries[0]?.attempts === 1, 5000, 'the failure recorded');
  const view = await call<WebhookDeliveriesResponse>(first.url, 'GET', '/api/admin/webhooks/deliveries', { token: admin });
  expect(view.body.deliveries[0]).toMatchObject({ type: 'room.created', state: 'pending', lastStatus: 500, nextAttemptAt: expect.any(String) });
  await first.stop();

  const second = await startTestServer({ WEBHOOK_URLS: receiver.url, DATA_DIR: first.dataDir });
  servers.push(second);
  // the retry is due 10 s after the failure
  await until(() => receiver.received.length >= 2, 20_000, 'the retry after the restart');
  expect(receiver.received.map((r) => r.event.id)).toEqual([receiver.received[0]!.event.id, receiver.received[0]!.event.id]);
  expect(receiver.received[1]!.event).toMatchObject({ type: 'room.created', data: { room: { id: room.id } } });
  expect(validlySigned(receiver, secretOf(second))).toBe(true);
  await until(async () => (await call<WebhookDeliveriesResponse>(second.url, 'GET', '/api/admin/webhooks/deliveries', { token: admin }))
    .body.deliveries[0]?.state === 'delivered', 5000, 'delivered in the view');
}, 60_000);
