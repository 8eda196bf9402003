// The outbox against a local receiver: signed, at least once with a stable id, exponential backoff for 24 h,
// bounded bodies and concurrency, one delivery per event across two nodes sharing the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SqliteWebhookStore } from '../../server/store/sqlite/sqlite-webhook-store';
import type { WebhookStore } from '../../server/store/webhook-store';
import { BODY_MAX_BYTES, defaultBackoff, WebhookOutbox, type WebhookOutboxOptions } from '../../server/webhooks/webhook-outbox';
import { verifySignature } from '../../server/webhooks/webhook-signature';
import { until } from '../helpers/wait';
import { startReceiver, type Receiver } from './receiver';

const SECRET = 'test-webhook-secret-0123456789';
const log = pino({ level: 'silent' });
let dir: string;
let stores: WebhookStore[];
let outboxes: WebhookOutbox[];
let receiver: Receiver | null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-outbox-'));
  stores = [];
  outboxes = [];
  receiver = null;
});
afterEach(async () => {
  for (const o of outboxes) await o.stop();
  for (const s of stores) await s.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

function outbox(over: Partial<WebhookOutboxOptions> & { urls: string[] }): { outbox: WebhookOutbox; store: WebhookStore } {
  const store = new SqliteWebhookStore(join(dir, 'wxlive.db'));
  stores.push(store);
  // fast: retries 20 ms apart, due rows looked for every 10 ms
  const o = new WebhookOutbox({ store, secret: SECRET, log, backoffMs: () => 20, pollMs: 10, ...over });
  outboxes.push(o);
  o.start();
  return { outbox: o, store };
}

const signedOk = (r: Receiver['received'][number]) =>
  verifySignature(String(r.headers['x-wxlive-signature']), r.body, SECRET, Math.floor(Date.now() / 1000));

test('a receiver answering 500 three times then 200 gets the event four times with the same id, each signed', async () => {
  receiver = await startReceiver([500, 500, 500, 200]);
  const { outbox: o, store } = outbox({ urls: [receiver.url] });
  const event = await o.emit('room.live', { room: { id: 'r1' } });
  await until(() => receiver!.received.length >= 4, 5000, 'four attempts');
  await until(async () => (await store.list({ limit: 1 }))[0]?.state === 'delivered', 5000, 'delivered');
  expect(receiver.received.map((r) => r.event.id)).toEqual([event!.id, event!.id, event!.id, event!.id]);
  expect(receiver.received.every(signedOk)).toBe(true);
  expect(receiver.received[0]!.event).toEqual({ id: event!.id, type: 'room.live', at: event!.at, data: { room: { id: 'r1' } } });
  expect((await store.list({ limit: 1 }))[0]).toMatchObject({ state: 'delivered', attempts: 4, lastStatus: 200, lastError: null });
  await new Promise((r) => setTimeout(r, 100));
  expect(receiver.received).toHaveLength(4); // delivered: never sent again
});

test('backoff doubles from 10 s to at most 1 h, and attempts stop 24 h after the event (injected clock)', async () => {
  expect([1, 2, 3, 9, 10, 30].map(defaultBackoff)).toEqual([10_000, 20_000, 40_000, 2_560_000, 3_600_000, 3_600_000]);
  let now = 1_800_000_000_000;
  const start = now;
  const attemptsAt: number[] = [];
  const { outbox: o, store } = outbox({
    urls: ['http://127.0.0.1:9/never'], now: () => now, backoffMs: defaultBackoff, pollMs: 3_600_000,
    post: async () => { attemptsAt.push(now); return { status: 503, excerpt: 'busy' }; },
  });
  await o.emit('room.ended', {});
  for (let i = 0; i < 100; i++) {
    await until(() => attemptsAt.length > i, 2000, `attempt ${i + 1}`, 2);
    await until(async () => (await store.list({ limit: 1 }))[0]!.attempts === i + 1, 2000, 'settled', 2);
    const row = (await store.list({ limit: 1 }))[0]!;
    if (row.state === 'failed') break;
    now = row.nextAt;
    o.kick();
  }
  const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]!);
  expect(gaps.slice(0, 4)).toEqual([10_000, 20_000, 40_000, 80_000]);
  expect(Math.max(...gaps)).toBe(3_600_000);
  expect(attemptsAt[attemptsAt.length - 1]! - start).toBeLessThanOrEqual(24 * 3_600_000);
  expect((await store.list({ limit: 1 }))[0]).toMatchObject({ state: 'failed', lastStatus: 503, lastError: 'HTTP 503: busy' });
});

test('no answer within the timeout is a failed attempt, retried', async () => {
  receiver = await startReceiver(['hang', 200]);
  const { store } = outbox({ urls: [receiver.url], timeoutMs: 200 });
  await outboxes[0]!.emit('room.created', {});
  await until(async () => (await store.list({ limit: 1 }))[0]?.state === 'delivered', 5000, 'delivered after the timeout');
  expect(receiver.received).toHaveLength(2);
  expect((await store.list({ limit: 1 }))[0]!.attempts).toBe(2);
});

test('bounded: a huge answer is read only a few KiB; a body over 64 KiB goes with its data truncated', async () => {
  receiver = await startReceiver([500, 200]);
  receiver.answerBody = 'x'.repeat(4 * 1024 * 1024);
  const { outbox: o, store } = outbox({ urls: [receiver.url] });
  const big = await o.emit('chat.message', { text: 'y'.repeat(BODY_MAX_BYTES) });
  await until(async () => (await store.list({ limit: 1 }))[0]?.state === 'delivered', 5000, 'delivered');
  expect(receiver.received[0]!.body.length).toBeLessThanOrEqual(BODY_MAX_BYTES);
  expect(receiver.received[0]!.event).toEqual({ id: big!.id, type: 'chat.message', at: big!.at, data: { truncated: true } });
  expect((await store.list({ limit: 1 }))[0]!.attempts).toBe(2);
});

test('a failed attempt keeps a bounded excerpt of the answer as its last error', async () => {
  receiver = await startReceiver([500]);
  receiver.answerBody = 'z'.repeat(4 * 1024 * 1024);
  const { store } = outbox({ urls: [receiver.url], backoffMs: () => 60_000 });
  await outboxes[0]!.emit('room.live', {});
  await until(async () => (await store.list({ limit: 1 }))[0]?.attempts === 1, 5000, 'one attempt');
  const row = (await store.list({ limit: 1 }))[0]!;
  expect(row).toMatchObject({ state: 'pending', lastStatus: 500 });
  expect(row.lastError!.length).toBeLessThanOrEqual(300);
});

test('at most maxInFlight attempts at once; every event of every URL arrives', async () => {
  receiver = await startReceiver([200]);
  const { outbox: o } = outbox({ urls: [receiver.url, receiver.url.replace('/hook', '/second')], maxInFlight: 2 });
  for (let i = 0; i < 6; i++) await o.emit('room.created', { i });
  await until(() => receiver!.received.length >= 12, 5000, 'twelve deliveries');
  expect(receiver.maxOpen).toBeLessThanOrEqual(2);
  const perEvent = new Map<string, number>();
  for (const r of receiver.received) perEvent.set(r.event.id, (perEvent.get(r.event.id) ?? 0) + 1);
  expect([...perEvent.values()]).toEqual([2, 2, 2, 2, 2, 2]);
});

test('two nodes on one store: each event is delivered once', async () => {
  receiver = await startReceiver([200]);
  const a = outbox({ urls: [receiver.url] });
  const b = outbox({ urls: [receiver.url] });
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push((await (i % 2 ? a : b).outbox.emit('room.live', { i }))!.id);
  await until(async () => (await a.store.list({ limit: 20 })).every((r) => r.state === 'delivered'), 5000, 'all delivered');
  await new Promise((r) => setTimeout(r, 100));
  expect(receiver.received.map((r) => r.event.id).sort()).toEqual([...ids].sort());
});

test('without WEBHOOK_URLS nothing is stored or sent', async () => {
  const { outbox: o, store } = outbox({ urls: [] });
  expect(await o.emit('room.live', {})).toBeNull();
  expect(await store.list({ limit: 5 })).toEqual([]);
});
