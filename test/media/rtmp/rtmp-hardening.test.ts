// Hostile RTMP peers against a live stream: each attack closes only its own socket, while a tap and an
// rtmpdump player of the running stream keep receiving and this process stays up.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RtmpIngest, StreamRequest } from '../../../server/media/rtmp/rtmp-ingest';
import { killAll, publish, rtmpdump, type ChildHandle } from '../../helpers/ffmpeg';
import { RawRtmpClient, amf0 } from '../../helpers/rtmp-client';
import { roomId, sleep, startIngest, TagRecorder, testHooks, until } from './rtmp-fixture';

const HANDSHAKE_TIMEOUT_MS = 1500;
const MARKER = 'INJECTED-BY-A-PLAYER';

let ingest: RtmpIngest;
let port: number;
let url: (room: string, query?: string) => string;
const room = roomId();
const tap = new TagRecorder();
const dir = mkdtempSync(join(tmpdir(), 'wxlive-rtmp-hard-'));
const playerFile = join(dir, 'player.flv');
let publisher: ChildHandle;
let player: ChildHandle;
const requests: StreamRequest[] = [];

beforeAll(async () => {
  const hooks = testHooks();
  const { checkPublish, checkPlay } = hooks.hooks;
  // like the real hooks: a repeated query key is malformed
  const malformed = (req: StreamRequest) => (requests.push(req), Object.values(req.query).some(Array.isArray));
  hooks.hooks.checkPublish = (req) => (malformed(req) ? 'malformed_query' : checkPublish(req));
  hooks.hooks.checkPlay = (req) => (malformed(req) ? 'malformed_query' : checkPlay(req));
  ({ ingest, port, url } = await startIngest(hooks.hooks, { handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS }));
  ingest.subscribe(room, tap);
  publisher = publish(url(room));
  await until(() => ingest.publisher(room) !== null, 10000, 'the publisher');
  player = rtmpdump(url(room), playerFile, 120);
  await until(() => ingest.rtmpViewers(room) === 1, 5000, 'the rtmpdump player');
}, 30000);

afterAll(async () => {
  await killAll();
  await ingest.stop();
  rmSync(dir, { recursive: true, force: true });
});

const fileSize = () => { try { return statSync(playerFile).size; } catch { return 0; } };

/** Run an attack; the stream must keep flowing to both viewers during and after it. */
async function survives(attack: () => Promise<void>): Promise<void> {
  const tapBefore = tap.bytes;
  const fileBefore = fileSize();
  await attack();
  await until(() => tap.bytes > tapBefore + 5000 && fileSize() > fileBefore + 5000, 5000, 'the stream to keep flowing');
  expect(publisher.proc.exitCode).toBeNull();
  expect(player.proc.exitCode).toBeNull();
  expect(ingest.publisher(room)).not.toBeNull();
  await until(() => ingest.rtmpViewers(room) === 1, 2000, 'rtmpdump as the only RTMP player');
}

async function connected(): Promise<RawRtmpClient> {
  const c = await RawRtmpClient.open(port);
  await c.handshake();
  return c;
}

test('connect with an invalid or missing tcUrl closes that socket', () => survives(async () => {
  for (const tcUrl of ['not a url', 42 as unknown as string]) {
    const c = await connected();
    c.invoke('connect', { app: 'live', tcUrl });
    await c.waitForClose(2000);
  }
  const c = await connected();
  c.invoke('connect', { app: 'live' });
  await c.waitForClose(2000);
}));

test('random bytes after the handshake close that socket', () => survives(async () => {
  for (let i = 0; i < 5; i++) {
    const c = await connected();
    c.write(Buffer.from(Array.from({ length: 65536 }, () => Math.floor(Math.random() * 256))));
    await c.waitForClose(HANDSHAKE_TIMEOUT_MS + 2000);
  }
}));

test('a handshake that stops half way is closed by the server after the timeout', () => survives(async () => {
  const c = await RawRtmpClient.open(port);
  c.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(700)]));
  const t0 = Date.now();
  await c.waitForClose(HANDSHAKE_TIMEOUT_MS + 2000);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 100);
  // connected but never publishing nor playing: same deadline
  const idle = await connected();
  await idle.waitForClose(HANDSHAKE_TIMEOUT_MS + 2000);
}));

test('a player that sends audio, video and data never reaches the tap or the other player', () => survives(async () => {
  const c = await connected();
  c.start('play', port, `${room}?k=ok`);
  await c.waitForText('NetStream.Play.Start');
  const marker = Buffer.from(MARKER, 'latin1');
  for (let i = 0; i < 20; i++) {
    c.sendMedia(8, Buffer.concat([Buffer.from([0xaf, 0x01]), marker]), 100000 + i);
    c.sendMedia(9, Buffer.concat([Buffer.from([0x17, 0x01, 0, 0, 0]), marker]), 100000 + i);
    c.sendMedia(18, Buffer.concat([amf0('@setDataFrame'), amf0('onMetaData'), amf0({ title: MARKER })]), 100000 + i);
  }
  await sleep(1500);
  expect(c.isClosed).toBe(false); // dropped, not fatal for it
  expect(tap.all().includes(marker)).toBe(false);
  expect(readFileSync(playerFile).includes(marker)).toBe(false);
  expect(c.received.includes(marker)).toBe(false);
  c.destroy();
}));

test('duplicate sign parameters reach the hooks as arrays and are refused; nothing crashes', () => survives(async () => {
  const other = roomId();
  for (const [kind, query] of [['publish', 'k=ok&sign=a&sign=b'], ['publish', `k=ok&k=ok`], ['play', 'k=ok&sign=a&sign=b']] as const) {
    const c = await connected();
    c.start(kind, port, `${kind === 'publish' ? other : room}?${query}`);
    await c.waitForText(kind === 'publish' ? 'NetStream.Publish.BadName' : 'NetStream.Play.Failed', 3000);
    await c.waitForClose(2500);
  }
  expect(requests.find((r) => r.roomId === other)?.query.sign).toEqual(['a', 'b']);
  expect(requests.find((r) => r.roomId === room && Array.isArray(r.query.sign))).toBeDefined();
  expect(ingest.publisher(other)).toBeNull();
}));

test('SetChunkSize 0, a negative one, or a truncated one closes that socket', () => survives(async () => {
  for (const send of [
    (c: RawRtmpClient) => c.setChunkSize(0, true),
    (c: RawRtmpClient) => c.setChunkSize(0x80000000, true),
    (c: RawRtmpClient) => c.send({ csid: 2, type: 1, streamId: 0, payload: Buffer.from([0, 0]) }),
  ]) {
    const c = await connected();
    c.connectApp(`rtmp://127.0.0.1:${port}/live`);
    await c.waitForText('NetConnection.Connect.Success');
    send(c);
    c.invoke('createStream', null); // would spin or stall the parser with a chunk size of 0
    await c.waitForClose(2000);
  }
}));

test('absurd lengths, too many chunk streams and headers inside a message close that socket', () => survives(async () => {
  const attacks: Buffer[] = [
    // fmt 0 on csid 4, timestamp 0, length 0xFFFFFF (16 MB), type 9, stream 1
    Buffer.from([0x04, 0, 0, 0, 0xff, 0xff, 0xff, 9, 1, 0, 0, 0]),
    // 100 chunk streams, each announcing a 1 MB message with one byte of it
    Buffer.concat(Array.from({ length: 100 }, (_, i) => Buffer.from([0x40 | 0, i, 0, 0, 0, 0x10, 0, 0, 9, 0x41]))),
    // a 300-byte message on csid 4, then a type 1 header (new length) before it is complete
    Buffer.concat([Buffer.from([0x04, 0, 0, 0, 0, 0x01, 0x2c, 9, 1, 0, 0, 0]), Buffer.alloc(128), Buffer.from([0x44, 0, 0, 0, 0, 0, 5, 9])]),
  ];
  for (const bytes of attacks) {
    const c = await connected();
    c.write(bytes);
    await c.waitForClose(2000);
  }
}));

test('a second publish or play on one connection is refused and leaves nothing registered', () => survives(async () => {
  const other = roomId();
  const c = await connected();
  c.start('play', port, `${room}?k=ok`);
  await c.waitForText('NetStream.Play.Start');
  c.send({ csid: 8, type: 20, streamId: 1, payload: Buffer.concat([amf0('publish'), amf0(0), amf0(null), amf0(`${other}?k=ok`), amf0('live')]) });
  await c.waitForClose(2500);
  await until(() => ingest.rtmpViewers(room) === 1, 2000, 'only rtmpdump left');
  expect(ingest.publisher(other)).toBeNull();
}));

test('a publisher can only send audio, video and AMF0 data: AMF3 data (type 15) is dropped, not cached', () => survives(async () => {
  const other = roomId();
  const otherTap = new TagRecorder();
  const detach = ingest.subscribe(other, otherTap);
  const c = await connected();
  c.start('publish', port, `${other}?k=ok`);
  await c.waitForText('NetStream.Publish.Start');
  // type 15 payload: AMF3 marker byte 0, then AMF0 "onMetaData"; NMS would have taken it for an AAC header
  c.send({ csid: 5, type: 15, streamId: 1, payload: Buffer.concat([Buffer.from([0]), amf0('onMetaData'), amf0(MARKER)]) });
  c.sendMedia(8, Buffer.from([0xaf, 0x01, 0x55]), 10);
  await until(() => otherTap.tags.length === 2, 2000, 'the audio tag');
  expect(otherTap.types()).toEqual([8]);
  expect(otherTap.all().includes(MARKER)).toBe(false);
  c.destroy();
  detach();
}));

test('idle connections are cheap (no per-connection megabyte) and all go at the handshake deadline', () => survives(async () => {
  const before = process.memoryUsage().arrayBuffers;
  const clients = await Promise.all(Array.from({ length: 150 }, () => RawRtmpClient.open(port)));
  await Promise.all(clients.map((c) => c.handshake()));
  const held = process.memoryUsage().arrayBuffers - before;
  expect(held).toBeLessThan(30 * 1024 * 1024); // NMS allocated 1 MB per connection: 150 MB here
  await Promise.all(clients.map((c) => c.waitForClose(HANDSHAKE_TIMEOUT_MS + 3000)));
}));

test('huge AMF objects in commands close that socket; echoed values are sanitised (no quadratic re-encode)', () => survives(async () => {
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, null]));
  const tcUrl = `rtmp://127.0.0.1:${port}/live`;
  // ~350 KB: over the 64 KB command limit
  const big = await connected();
  big.send({ csid: 3, type: 20, streamId: 0, payload: Buffer.concat([amf0('connect'), amf0(1), amf0({ app: 'live', tcUrl, objectEncoding: many(40000) })]) });
  await big.waitForClose(2000);
  // ~40 KB objects as the transaction id and objectEncoding: accepted, answered without echoing them
  const echo = await connected();
  const t0 = Date.now();
  echo.send({ csid: 3, type: 20, streamId: 0, payload: Buffer.concat([amf0('connect'), amf0(many(2500)), amf0({ app: 'live', tcUrl, objectEncoding: many(2500) })]) });
  await echo.waitForText('NetConnection.Connect.Success');
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(echo.receivedText()).not.toContain('k2499');
  echo.destroy();
}));
