// Issue 10 rows 4 and 8 over HTTP: HTTP-FLV viewers are capped per address, per room and in total, HLS and replay
// requests in flight per address; a viewer of a room nobody publishes to is closed after IDLE_VIEWER_WAIT_S; and
// X-Forwarded-For names the client only when it comes from TRUSTED_PROXIES. Every refusal is a 429 JSON, a warn
// line with its reason and a count in wxlive_limit_refusals_total.
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAll } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { publishLive } from '../../helpers/live';
import { RawSocket } from '../../helpers/raw-socket';
import { capturingLogger, startTestServer, type TestServer } from '../../helpers/test-server';
import { broadcastDir, segmentName } from '../../../server/media/hls-output/hls-paths';
import { FlvWatcher, logEntries, metricValue, playUrls, until } from './e2e-kit';

// one server at a time: the embedded RTMP server is one per process
let s: TestServer | undefined;
let lines: string[] = [];
const sockets: RawSocket[] = [];
const watchers: FlvWatcher[] = [];
afterEach(async () => {
  for (const r of sockets.splice(0)) r.close();
  for (const w of watchers.splice(0)) w.close();
  await killAll();
  await s?.stop(true);
  s = undefined;
});

async function start(env: Record<string, string>): Promise<TestServer> {
  const captured = capturingLogger();
  lines = captured.lines;
  s = await startTestServer(env, { log: captured.log });
  return s;
}

const pathOf = (url: string) => { const u = new URL(url); return u.pathname + u.search; };

/** Opens an HTTP-FLV (or any) request as `from` (an X-Forwarded-For value, '' for none) and waits for its head. */
async function viewer(url: string, from: string): Promise<RawSocket> {
  const r = await RawSocket.get(s!.httpPort, pathOf(url), from ? { 'x-forwarded-for': from } : {});
  sockets.push(r);
  await until(() => r.status !== null, 5000, 'a response head');
  return r;
}

async function refusals(reason: string): Promise<number | null> {
  const r = await call(s!.url, 'GET', '/metrics', { token: s!.config.secrets.adminToken });
  return metricValue(r.body as string, `wxlive_limit_refusals_total{reason="${reason}"}`);
}

const warned = (reason: string) => logEntries(lines).filter((l) => l.level === 40 && l.reason === reason);

function expect429(r: RawSocket, code: string): void {
  expect(r.status).toBe(429);
  expect(r.json).toEqual({ error: { code, message: expect.any(String), retryAfterS: expect.any(Number) } });
  expect(r.text).toMatch(/\r\nretry-after: \d+\r\n/i);
}

test('without TRUSTED_PROXIES a forged X-Forwarded-For is ignored: FLV_MAX_PER_IP counts the socket address', async () => {
  await start({ FLV_MAX_PER_IP: '2' });
  const { room } = await createRoom(s!.url, 'per-ip');
  const flv = (await playUrls(s!.url, room.id)).flv;
  const first = await viewer(flv, '10.0.0.1');
  expect((await viewer(flv, '10.0.0.2')).status).toBe(200);
  expect(first.status).toBe(200);
  const third = await viewer(flv, '10.0.0.3');
  await until(() => third.json !== null, 5000, 'the refusal body');
  expect429(third, 'flv_per_ip');
  expect(warned('flv_per_ip')).toEqual([expect.objectContaining({ address: '127.0.0.1', roomId: room.id })]);
  first.close(); // a viewer that leaves frees its place
  await until(async () => (await viewer(flv, '')).status === 200, 5000, 'a freed per-address place');
  expect(await refusals('flv_per_ip')).toBeGreaterThanOrEqual(1);
});

test('behind TRUSTED_PROXIES each forwarded address has its own places; per-room and total caps hold', async () => {
  await start({ TRUSTED_PROXIES: '127.0.0.1', FLV_MAX_PER_IP: '1', FLV_MAX_PER_ROOM: '2', FLV_MAX_VIEWERS: '3' });
  const a = (await playUrls(s!.url, (await createRoom(s!.url, 'room a')).room.id)).flv;
  const b = (await playUrls(s!.url, (await createRoom(s!.url, 'room b')).room.id)).flv;
  expect((await viewer(a, '198.51.100.1')).status).toBe(200);
  const sameAddress = await viewer(a, '198.51.100.1');
  expect((await viewer(a, '198.51.100.2')).status).toBe(200); // another address: honoured
  const roomFull = await viewer(a, '198.51.100.3');
  expect((await viewer(b, '198.51.100.4')).status).toBe(200);
  const serverFull = await viewer(b, '198.51.100.5');
  await until(() => [sameAddress, roomFull, serverFull].every((r) => r.json !== null), 5000, 'the refusal bodies');
  expect429(sameAddress, 'flv_per_ip');
  expect429(roomFull, 'flv_per_room');
  expect429(serverFull, 'flv_viewers');
  for (const reason of ['flv_per_ip', 'flv_per_room', 'flv_viewers']) {
    expect(await refusals(reason)).toBe(1);
    expect(warned(reason)).toHaveLength(1);
  }
  expect(warned('flv_per_ip')[0]).toMatchObject({ address: '198.51.100.1' });
});

test('HLS_MAX_PER_IP: requests in flight per address, whatever X-Forwarded-For says; a finished one frees its place', async () => {
  await start({ HLS_MAX_PER_IP: '2' });
  const { room } = await createRoom(s!.url, 'hls per ip');
  const dir = broadcastDir(join(s!.dataDir, 'hls'), room.id, 'Broadcast1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, segmentName(0)), '');
  truncateSync(join(dir, segmentName(0)), 64 * 1024 * 1024); // sparse: more than loopback buffers hold
  const replay = `${s!.url}/replay/${room.id}/Broadcast1/${segmentName(0)}`;
  const held = [await viewer(replay, ''), await viewer(replay, '')];
  for (const r of held) { expect(r.status).toBe(200); r.pause(); }
  const refused = await viewer(replay, '203.0.113.7');
  await until(() => refused.json !== null, 5000, 'the refusal body');
  expect429(refused, 'hls_per_ip');
  expect(refused.text).toMatch(/\r\nretry-after: 1\r\n/i);
  held[0]!.close();
  let refusedMore = 0; // asked before the server saw the close
  await until(async () => {
    const st = (await call(s!.url, 'GET', `/replay/${room.id}/Broadcast1/index.m3u8`)).status;
    if (st === 429) refusedMore++;
    return st === 404;
  }, 5000, 'a freed place (the replay has no playlist: 404, not 429)');
  expect(await refusals('hls_per_ip')).toBe(1 + refusedMore);
});

test('an FLV viewer of a room that is not live is closed after IDLE_VIEWER_WAIT_S; one whose host starts within it plays on', async () => {
  await start({ IDLE_VIEWER_WAIT_S: '4' });
  const idle = await createRoom(s!.url, 'never live');
  const soon = await createRoom(s!.url, 'live soon');
  const waiting = await FlvWatcher.open((await playUrls(s!.url, idle.room.id)).flv);
  const early = await FlvWatcher.open((await playUrls(s!.url, soon.room.id)).flv);
  const joinedAt = Date.now();
  watchers.push(waiting, early);
  expect([waiting.status, early.status]).toEqual([200, 200]);
  await publishLive(s!.url, soon.room.id, soon.push.url);
  await waiting.closed;
  const waited = Date.now() - joinedAt;
  expect(waited).toBeGreaterThanOrEqual(3500);
  expect(waited).toBeLessThanOrEqual(4000 + 2000);
  expect(waiting.media()).toHaveLength(0);
  // the early viewer's deadline has passed too: it stays, and its stream flows
  const before = early.media().length;
  await until(() => early.media().length > before + 10, 10_000, 'more media for the early viewer');
  expect(early.ended).toBe(false);
  expect(await refusals('idle_viewer')).toBe(1);
  expect(warned('idle_viewer')).toEqual([expect.objectContaining({ roomId: idle.room.id })]);
}, 30_000);
