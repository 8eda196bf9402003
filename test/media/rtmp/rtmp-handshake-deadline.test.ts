// The handshake deadline: a connection that has neither published nor played by then is closed (a half-done
// handshake, a connected idler, a crowd of them), while the publisher and player of a live stream, connected
// for longer than the deadline, keep going. The attacks of rtmp-hardening.test.ts run with a long deadline.
import { RawRtmpClient } from '../../helpers/rtmp-client';
import { testHooks, until } from './rtmp-fixture';
import { startWatchedStream, type WatchedStream } from './watched-stream';

const HANDSHAKE_TIMEOUT_MS = 1500;
/** how late the close may come on a loaded machine */
const SLACK_MS = 2000;

let stream: WatchedStream;
/** limit closes by reason */
const refusals: Record<string, number> = {};
/** both viewers of the stream were connected by then */
let readyAt: number;

beforeAll(async () => {
  stream = await startWatchedStream(testHooks().hooks, {
    handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS, limitRefusals: { inc: ({ reason }) => { refusals[reason] = (refusals[reason] ?? 0) + 1; } },
  });
  readyAt = Date.now();
}, 30000);

afterAll(() => stream?.stop());

/** Resolves with how long after `t0` the server closed `c`; rejects if it stays open past the slack. */
async function closedAfter(c: RawRtmpClient, t0: number): Promise<number> {
  await c.waitForClose(HANDSHAKE_TIMEOUT_MS + SLACK_MS);
  return Date.now() - t0;
}

test('a handshake that stops half way, and a connection that never publishes nor plays, close at the deadline', () =>
  stream.survives(async () => {
    const t0 = Date.now();
    const half = await RawRtmpClient.open(stream.port);
    half.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(700)])); // C0 and half of C1
    const idle = await RawRtmpClient.open(stream.port);
    await idle.handshake();
    const [halfMs, idleMs] = await Promise.all([closedAfter(half, t0), closedAfter(idle, t0)]);
    // not before the deadline (t0 was taken before either connection was accepted)
    expect(halfMs).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS);
    expect(idleMs).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS);
    expect(refusals).toEqual({ rtmp_handshake_timeout: 2 });
  }));

test('idle connections are cheap (no per-connection megabyte) and all go at the handshake deadline', () => stream.survives(async () => {
  const before = process.memoryUsage().arrayBuffers;
  const clients = await Promise.all(Array.from({ length: 150 }, () => RawRtmpClient.open(stream.port)));
  await Promise.all(clients.map((c) => c.handshake()));
  const held = process.memoryUsage().arrayBuffers - before;
  expect(held).toBeLessThan(30 * 1024 * 1024); // NMS allocated 1 MB per connection: 150 MB here
  await Promise.all(clients.map((c) => c.waitForClose(HANDSHAKE_TIMEOUT_MS + SLACK_MS + 1000)));
}));

test('the publisher and the player, connected for longer than the deadline, are not closed by it', async () => {
  const since = stream.ingest.publisher(stream.room)!.since;
  // the tests above have usually outlasted the deadline of both connections already
  await until(() => Date.now() > readyAt + HANDSHAKE_TIMEOUT_MS + 500, HANDSHAKE_TIMEOUT_MS + 1000, 'the deadline to pass');
  await stream.survives(async () => undefined);
  expect(stream.ingest.publisher(stream.room)!.since).toBe(since); // the same connection, not a reconnect
});
