// Hostile RTMP peers against a live stream: each attack closes only its own socket, while a tap and an
// rtmpdump player of the running stream keep receiving and this process stays up. The handshake deadline
// (rtmp-handshake-deadline.test.ts) is set far beyond every wait here, so a socket that closes in time was
// closed by the defence under test: an ignored attack fails its waitForClose.
import type { StreamRequest } from '../../../server/media/rtmp/rtmp-ingest';
import { RawRtmpClient, amf0 } from '../../helpers/rtmp-client';
import { roomId, TagRecorder, testHooks, until } from './rtmp-fixture';
import { startWatchedStream, type WatchedStream } from './watched-stream';

const HANDSHAKE_TIMEOUT_MS = 60_000;
/** a defence closes at once; this only absorbs a loaded machine, and is far below the handshake deadline */
const CLOSE_MS = 2000;
const MARKER = 'INJECTED-BY-A-PLAYER';

let stream: WatchedStream;
let port: number;
let room: string;
const requests: StreamRequest[] = [];

beforeAll(async () => {
  const hooks = testHooks();
  const { checkPublish, checkPlay } = hooks.hooks;
  // like the real hooks: a repeated query key is malformed
  const malformed = (req: StreamRequest) => (requests.push(req), Object.values(req.query).some(Array.isArray));
  hooks.hooks.checkPublish = (req) => (malformed(req) ? 'malformed_query' : checkPublish(req));
  hooks.hooks.checkPlay = (req) => (malformed(req) ? 'malformed_query' : checkPlay(req));
  stream = await startWatchedStream(hooks.hooks, { handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS });
  ({ port, room } = stream);
}, 30000);

afterAll(() => stream?.stop());

const survives = (attack: () => Promise<void>) => stream.survives(attack);

async function connected(): Promise<RawRtmpClient> {
  const c = await RawRtmpClient.open(port);
  await c.handshake();
  return c;
}

test('connect with an invalid or missing tcUrl closes that socket', () => survives(async () => {
  for (const tcUrl of ['not a url', 42 as unknown as string]) {
    const c = await connected();
    c.invoke('connect', { app: 'live', tcUrl });
    await c.waitForClose(CLOSE_MS);
  }
  const c = await connected();
  c.invoke('connect', { app: 'live' });
  await c.waitForClose(CLOSE_MS);
}));

/** The same pseudo-random bytes on every run (a failure can be replayed). */
function noise(seed: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0; // the C library's LCG; its top byte is the least regular
    b[i] = x >>> 24;
  }
  return b;
}

test('random bytes after the handshake close that socket', () => survives(async () => {
  for (let seed = 1; seed <= 5; seed++) {
    const c = await connected();
    c.write(noise(seed, 65536));
    await c.waitForClose(CLOSE_MS);
  }
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
  // the server parses one connection in order: once it answers a later command, every marker was handled
  const results = () => c.receivedText().split('_result').length;
  const before = results();
  c.invoke('createStream', null);
  await until(() => results() > before, 3000, 'the reply to a command sent after the markers');
  expect(c.isClosed).toBe(false); // dropped, not fatal for it
  // what the hub had sent on before that reply has reached the viewers once later publisher media has
  await stream.flows();
  expect(stream.tap.all().includes(marker)).toBe(false);
  expect(stream.playerFile().includes(marker)).toBe(false);
  expect(c.received.includes(marker)).toBe(false);
  c.destroy();
}));

test('duplicate sign parameters reach the hooks as arrays and are refused; nothing crashes', () => survives(async () => {
  const other = roomId();
  for (const [kind, query] of [['publish', 'k=ok&sign=a&sign=b'], ['publish', `k=ok&k=ok`], ['play', 'k=ok&sign=a&sign=b']] as const) {
    const c = await connected();
    c.start(kind, port, `${kind === 'publish' ? other : room}?${query}`);
    await c.waitForText(kind === 'publish' ? 'NetStream.Publish.BadName' : 'NetStream.Play.Failed', 3000);
    await c.waitForClose(CLOSE_MS);
  }
  expect(requests.find((r) => r.roomId === other)?.query.sign).toEqual(['a', 'b']);
  expect(requests.find((r) => r.roomId === room && Array.isArray(r.query.sign))).toBeDefined();
  expect(stream.ingest.publisher(other)).toBeNull();
}));

test('SetChunkSize 0, a negative one, or a truncated one closes that socket', () => survives(async () => {
  for (const [i, send] of [
    (c: RawRtmpClient) => c.setChunkSize(0, true),
    (c: RawRtmpClient) => c.setChunkSize(0x80000000, true),
    (c: RawRtmpClient) => {
      // a valid size first, so a truncated one reusing its buffer would read a valid size again, not 0
      c.setChunkSize(4096, true);
      c.send({ csid: 2, type: 1, streamId: 0, payload: Buffer.from([0, 0]) });
    },
  ].entries()) {
    const c = await connected();
    c.connectApp(`rtmp://127.0.0.1:${port}/live`);
    await c.waitForText('NetConnection.Connect.Success');
    send(c);
    c.invoke('createStream', null); // would spin or stall the parser with a chunk size of 0
    await c.waitForClose(CLOSE_MS).catch((err: Error) => { throw new Error(`case ${i}: ${err.message}`); });
  }
}));

/** A fmt 1 chunk on chunk stream 64 + `i` (2-byte basic header) starting a `length`-byte video message with
 * its first 128 bytes: a full chunk at the default chunk size, so the next bytes are a new chunk header. */
function openMessage(i: number, length: number): Buffer {
  const header = Buffer.from([0x40, i, 0, 0, 0, 0, 0, 0, 9]); // fmt 1, csid 64+i, delta 0, length (below), type 9
  header.writeUIntBE(length, 5, 3);
  return Buffer.concat([header, Buffer.alloc(128, 0x41)]);
}

test('absurd lengths, too many chunk streams, too much held and headers inside a message close that socket', () => survives(async () => {
  const attacks: Buffer[] = [
    // fmt 0 on csid 4, timestamp 0, length 0xFFFFFF (16 MB), type 9, stream 1, then one payload byte (the
    // parser sizes the message buffer when its first byte arrives: a header alone allocates nothing)
    Buffer.from([0x04, 0, 0, 0, 0xff, 0xff, 0xff, 9, 1, 0, 0, 0, 0x17]),
    // 100 chunk streams, each with a small message begun (the count is bounded, not only the bytes)
    Buffer.concat(Array.from({ length: 100 }, (_, i) => openMessage(i, 1024))),
    // 30 chunk streams, each with a 1 MB message begun: under the per-message bound, over the total held
    Buffer.concat(Array.from({ length: 30 }, (_, i) => openMessage(i, 1024 * 1024))),
    // a 300-byte message on csid 4, then a type 1 header (new length) before it is complete
    Buffer.concat([Buffer.from([0x04, 0, 0, 0, 0, 0x01, 0x2c, 9, 1, 0, 0, 0]), Buffer.alloc(128), Buffer.from([0x44, 0, 0, 0, 0, 0, 5, 9])]),
  ];
  for (const [i, bytes] of attacks.entries()) {
    const c = await connected();
    c.write(bytes);
    await c.waitForClose(CLOSE_MS).catch((err: Error) => { throw new Error(`attack ${i}: ${err.message}`); });
  }
}));

test('a second publish or play on one connection is refused and leaves nothing registered', () => survives(async () => {
  const other = roomId();
  const c = await connected();
  c.start('play', port, `${room}?k=ok`);
  await c.waitForText('NetStream.Play.Start');
  c.send({ csid: 8, type: 20, streamId: 1, payload: Buffer.concat([amf0('publish'), amf0(0), amf0(null), amf0(`${other}?k=ok`), amf0('live')]) });
  await c.waitForClose(CLOSE_MS);
  await until(() => stream.ingest.rtmpViewers(room) === 1, 2000, 'only rtmpdump left');
  expect(stream.ingest.publisher(other)).toBeNull();
}));

test('a publisher can only send audio, video and AMF0 data: AMF3 data (type 15) is dropped, not cached', () => survives(async () => {
  const other = roomId();
  const otherTap = new TagRecorder();
  const detach = stream.ingest.subscribe(other, otherTap);
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

test('huge AMF objects in commands close that socket; echoed values are sanitised (no quadratic re-encode)', () => survives(async () => {
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, null]));
  const tcUrl = `rtmp://127.0.0.1:${port}/live`;
  // ~350 KB: over the 64 KB command limit
  const big = await connected();
  big.send({ csid: 3, type: 20, streamId: 0, payload: Buffer.concat([amf0('connect'), amf0(1), amf0({ app: 'live', tcUrl, objectEncoding: many(40000) })]) });
  await big.waitForClose(CLOSE_MS);
  // ~40 KB objects as the transaction id and objectEncoding: accepted, answered without echoing them
  const echo = await connected();
  const t0 = Date.now();
  echo.send({ csid: 3, type: 20, streamId: 0, payload: Buffer.concat([amf0('connect'), amf0(many(2500)), amf0({ app: 'live', tcUrl, objectEncoding: many(2500) })]) });
  await echo.waitForText('NetConnection.Connect.Success');
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(echo.receivedText()).not.toContain('k2499');
  echo.destroy();
}));
