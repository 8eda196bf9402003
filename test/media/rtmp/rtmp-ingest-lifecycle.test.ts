// RtmpIngest start/stop, timeouts and misbehaving hooks (each test runs its own ingest on a fresh port).
import { createServer, type AddressInfo, type Server } from 'node:net';
import pino from 'pino';
import { PortInUse } from '../../../server/listen';
import { RtmpIngest, type IngestHooks } from '../../../server/media/rtmp/rtmp-ingest';
import { killAll, publish } from '../../helpers/ffmpeg';
import { RawRtmpClient } from '../../helpers/rtmp-client';
import { count, roomId, startIngest, TagRecorder, testHooks, until, within } from './rtmp-fixture';

let current: RtmpIngest | null = null;
afterEach(async () => {
  await killAll();
  await current?.stop();
  current = null;
});

async function rawPublisher(port: number, room: string, query = 'k=ok'): Promise<RawRtmpClient> {
  const c = await RawRtmpClient.open(port);
  await c.handshake();
  c.start('publish', port, `${room}?${query}`);
  return c;
}

test('a taken port rejects start() with PortInUse; the process goes on and a free port works', async () => {
  // hold a port by listening on 0 ourselves: no other jest worker can take it while the ingest tries it
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as AddressInfo).port;
  const log = pino({ level: 'silent' });
  try {
    const ingest = new RtmpIngest({ port, host: '127.0.0.1', log, dataDir: '/nonexistent', hooks: testHooks().hooks });
    await expect(ingest.start()).rejects.toBeInstanceOf(PortInUse);
    // the failed start released the process-wide slot: another ingest starts, on the port it was given
    const next = new RtmpIngest({ port: 0, host: '127.0.0.1', log, dataDir: '/nonexistent', hooks: testHooks().hooks });
    current = next;
    const bound = await next.start();
    expect(bound).toBeGreaterThan(0);
    expect(bound).not.toBe(port);
    const c = await RawRtmpClient.open(bound);
    await c.handshake();
    c.destroy();
  } finally {
    await new Promise<void>((r) => blocker.close(() => r()));
  }
  // NMS keeps global state: a second ingest in the same process is refused
  const second = new RtmpIngest({ port: 0, host: '127.0.0.1', log, dataDir: '/nonexistent', hooks: testHooks().hooks });
  await expect(second.start()).rejects.toThrow(/already running/);
});

test('an admission that never answers is refused after the timeout; its late yes still gets publishStopped', async () => {
  const hooks = testHooks();
  let release: (v: string | null) => void = () => undefined;
  hooks.hooks.admitPublish = () => new Promise((resolve) => (release = resolve));
  const s = await startIngest(hooks.hooks, { admissionTimeoutMs: 500 });
  current = s.ingest;
  const room = roomId();
  const c = await rawPublisher(s.port, room);
  await c.waitForText('NetStream.Publish.BadName', 3000);
  expect(c.receivedText()).toContain('admission_timeout');
  await c.waitForClose(2500);
  release(null);
  await until(() => count(hooks, 'publishStopped', room) === 1, 1000, 'publishStopped for the late admission');
  expect(count(hooks, 'publishStarted', room)).toBe(0);
});

test('a publisher that goes silent is closed after publisherIdleMs and reported stopped', async () => {
  const hooks = testHooks();
  hooks.admitDelayMs = 0;
  const s = await startIngest(hooks.hooks, { publisherIdleMs: 800 });
  current = s.ingest;
  const room = roomId();
  const c = await rawPublisher(s.port, room);
  await c.waitForText('NetStream.Publish.Start');
  c.sendMedia(8, Buffer.from([0xaf, 0x01, 1, 2, 3]));
  await until(() => count(hooks, 'publishStarted', room) === 1, 2000, 'publishStarted');
  const t0 = Date.now();
  await c.waitForClose(3000);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
  await until(() => count(hooks, 'publishStopped', room) === 1, 1000, 'publishStopped');
});

test('hooks that throw refuse the request (or are logged) without touching the stream', async () => {
  const hooks = testHooks();
  hooks.admitDelayMs = 0;
  const throwing: IngestHooks = {
    ...hooks.hooks,
    checkPlay: () => { throw new Error('boom'); },
    publishStarted: (req) => { hooks.hooks.publishStarted(req); throw new Error('boom'); },
  };
  const s = await startIngest(throwing);
  current = s.ingest;
  const room = roomId();
  const tap = new TagRecorder();
  s.ingest.subscribe(room, tap);
  const bad = new TagRecorder();
  bad.onTag = () => { throw new Error('consumer bug'); };
  s.ingest.subscribe(room, bad);
  const pub = publish(s.url(room));
  await until(() => count(hooks, 'publishStarted', room) === 1, 10000, 'publishStarted');
  const bytes = tap.bytes;
  await until(() => tap.bytes > bytes, 5000, 'more tags (neither the hook nor the failing tap stopped the publisher)');
  const p = await RawRtmpClient.open(s.port);
  await p.handshake();
  p.start('play', s.port, `${room}?k=ok`);
  await p.waitForText('NetStream.Play.Failed');
  expect(p.receivedText()).toContain('internal_error');
  expect(pub.proc.exitCode).toBeNull();
});

test('stop() closes publishers, players and taps at once and calls no hooks', async () => {
  const hooks = testHooks();
  const s = await startIngest(hooks.hooks);
  const room = roomId();
  const tap = new TagRecorder();
  s.ingest.subscribe(room, tap);
  const pub = publish(s.url(room));
  await until(() => count(hooks, 'publishStarted', room) === 1, 10000, 'publishStarted');
  const player = await RawRtmpClient.open(s.port);
  await player.handshake();
  player.start('play', s.port, `${room}?k=ok`);
  await player.waitForText('NetStream.Play.Start');
  const t0 = Date.now();
  await s.ingest.stop();
  expect(Date.now() - t0).toBeLessThan(2000);
  await player.waitForClose(1000);
  expect(await within(pub.exited, 5000)).not.toBeNull();
  expect(tap.ends).toBe(1);
  expect(count(hooks, 'publishStopped', room) + count(hooks, 'playStopped', room)).toBe(0);
  // and it can start again (on port 0 again: whichever port is free now)
  current = s.ingest;
  const again = await s.ingest.start();
  const c = await RawRtmpClient.open(again);
  await c.handshake();
  c.destroy();
});

test('an RTMP player that stops reading is dropped once 8 MB are queued for it; others are unaffected', async () => {
  const hooks = testHooks();
  const refusals: string[] = [];
  // faster than real time on purpose: no publish pace limit here
  const s = await startIngest(hooks.hooks, { publishMaxSpeed: 1e6, limitRefusals: { inc: ({ reason }) => refusals.push(reason) } });
  current = s.ingest;
  const room = roomId();
  const tap = new TagRecorder();
  s.ingest.subscribe(room, tap);
  // noise, not real time: tens of megabytes a second
  const pub = publish(s.url(room), { realtime: false, audio: false, size: '1280x720', gop: 10, videoFilter: 'noise=alls=60:allf=t+u' });
  await until(() => count(hooks, 'publishStarted', room) === 1, 10000, 'publishStarted');
  const stuck = await RawRtmpClient.open(s.port);
  await stuck.handshake();
  stuck.start('play', s.port, `${room}?k=ok`);
  await stuck.waitForText('NetStream.Play.Start');
  stuck.socket.pause(); // stop reading: the kernel buffers fill, then the server's queue
  await until(() => count(hooks, 'playStopped', room) === 1, 10000, 'the slow player to be dropped');
  expect(s.ingest.rtmpViewers(room)).toBe(0);
  expect(refusals).toEqual(['rtmp_slow_player']);
  const bytes = tap.bytes;
  await until(() => tap.bytes > bytes, 5000, 'the publisher to keep flowing to the tap');
  expect(pub.proc.exitCode).toBeNull();
  stuck.destroy();
}, 30000);

test('the server acknowledges received bytes once per window the publisher set', async () => {
  const hooks = testHooks();
  hooks.admitDelayMs = 0;
  const s = await startIngest(hooks.hooks);
  current = s.ingest;
  const c = await rawPublisher(s.port, roomId());
  await c.waitForText('NetStream.Publish.Start');
  const windowSize = Buffer.alloc(4);
  windowSize.writeUInt32BE(4096);
  c.send({ csid: 2, type: 5, streamId: 0, payload: windowSize }); // Window Acknowledgement Size
  for (let i = 0; i < 10; i++) c.sendMedia(8, Buffer.concat([Buffer.from([0xaf, 0x01]), Buffer.alloc(1000)]), i * 20);
  // fmt 0, csid 2, timestamp 0, length 4, type 3 (Acknowledgement), stream 0
  const ack = Buffer.from([0x02, 0, 0, 0, 0, 0, 4, 3, 0, 0, 0, 0]);
  await until(() => c.received.includes(ack), 2000, 'an Acknowledgement');
  const at = c.received.indexOf(ack);
  expect(c.received.readUInt32BE(at + 12)).toBeGreaterThanOrEqual(4096);
});

test("NMS's own logging goes to pino (debug; our patches' warnings at warn), never to stdout", async () => {
  const lines: Array<{ level: number; msg: string }> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const consoleLog = jest.spyOn(console, 'log');
  try {
    const s = await startIngest(testHooks().hooks, { log });
    current = s.ingest;
    const refused = await rawPublisher(s.port, roomId(), 'k=nope');
    await refused.waitForClose(2500);
    const garbage = await RawRtmpClient.open(s.port);
    await garbage.handshake();
    garbage.setChunkSize(0, true);
    await garbage.waitForClose(2500);
    await until(() => lines.some((l) => l.level === 40 && l.msg.includes('parserData error')), 2000, 'the warning');
    expect(lines.some((l) => l.level === 20 && /RTMP session \w+ .* push \/live\/\w+ error, bad_key/.test(l.msg))).toBe(true);
    expect(consoleLog).not.toHaveBeenCalled();
  } finally {
    consoleLog.mockRestore();
  }
});
