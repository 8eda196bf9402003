// Issue 10 row 3: slow downloads of a large public replay segment. Files are streamed under socket
// backpressure, so four clients that barely read keep the server's RSS flat (it used to read the whole
// file per request: +200 MB each), and FILE_STREAMS_MAX caps the files being sent at once.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { broadcastDir, segmentName } from '../../../server/media/hls-output/hls-paths';
import { call, createRoom } from '../../helpers/http';
import { RawSocket } from '../../helpers/raw-socket';
import { bootServer, killAll, type ServerProcess } from '../../process/spawn-server';
import { metricValue, until } from './e2e-kit';

const MB = 1024 * 1024;
const BROADCAST = 'Broadcast1';
const ADMIN_TOKEN = 'file-streams-admin-token-0123';
const SLOW_CLIENTS = 4;

let dataDir: string;
let proc: ServerProcess | undefined;
const sockets: RawSocket[] = [];

afterAll(async () => {
  for (const r of sockets) r.close();
  await proc?.stop();
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The server's resident memory, from the kernel (not the test's own process). */
const rssOf = (pid: number): number => {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
};

test('4 slow readers of a 200 MB replay segment: RSS grows ≤ 64 MB; a 5th file is refused with 429 file_streams', async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wxlive-file-streams-'));
  const booted = await bootServer({ HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN, FILE_STREAMS_MAX: String(SLOW_CLIENTS), LOG_LEVEL: 'warn' });
  proc = booted.proc;
  const pid = proc.child.pid!;
  // a replay segment in the recorder's layout (after the start: the startup sweep drops replays of unknown rooms)
  const { room } = await createRoom(booted.base, 'big replay');
  const dir = broadcastDir(join(dataDir, 'hls'), room.id, BROADCAST);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, segmentName(0)), ''); // then extended sparsely: 200 MB of zeros, no disk used
  truncateSync(join(dir, segmentName(0)), 200 * MB);
  const path = `/replay/${room.id}/${BROADCAST}/${segmentName(0)}`;
  await call(booted.base, 'GET', `/replay/${room.id}/${BROADCAST}/index.m3u8`); // warm the route (a 404: no playlist)
  const baseline = rssOf(pid);

  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, rssOf(pid)); }, 50);
  try {
    for (let i = 0; i < SLOW_CLIENTS; i++) sockets.push(await RawSocket.get(booted.port, path));
    await until(() => sockets.every((r) => r.status !== null), 10_000, 'every response head');
    for (const r of sockets) {
      expect(r.status).toBe(200);
      expect(r.text).toMatch(new RegExp(`\\r\\ncontent-length: ${200 * MB}\\r\\n`, 'i'));
      r.pause();
    }
    // each client then takes a sip now and then (a slow link): the server must pause, not buffer for it
    const sipped = sockets.map((r) => r.bytes);
    const sips = setInterval(() => {
      for (const r of sockets) {
        r.read();
        setImmediate(() => r.pause());
      }
    }, 250);
    try {
      await until(() => sockets.every((r, i) => r.bytes > sipped[i]!), 10_000, 'every slow client to get more bytes');
      const from = Date.now();
      await until(() => Date.now() - from > 2000, 5000, 'two more seconds of slow reading');
    } finally {
      clearInterval(sips);
      for (const r of sockets) r.pause();
    }
    expect(sockets.every((r) => !r.isClosed && r.bytes < 200 * MB)).toBe(true); // still slow, still open
    expect((peak - baseline) / MB).toBeLessThanOrEqual(64);

    const fifth = await call(booted.base, 'GET', path);
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get('retry-after')).toBe('1');
    expect(fifth.body).toEqual({ error: { code: 'file_streams', message: expect.any(String), retryAfterS: 1 } });
  } finally {
    clearInterval(sampler);
  }

  // a client that leaves frees its place at once
  sockets[0]!.close();
  await until(async () => {
    const r = await RawSocket.get(booted.port, path);
    sockets.push(r);
    await until(() => r.status !== null || r.isClosed, 5000, 'a response head');
    r.close();
    return r.status === 200;
  }, 5000, 'a freed file slot');
  const metrics = await call(booted.base, 'GET', '/metrics', { token: ADMIN_TOKEN });
  expect(metricValue(metrics.body as string, 'wxlive_limit_refusals_total{reason="file_streams"}')).toBeGreaterThanOrEqual(1);
  expect(proc.stdout() + proc.stderr()).toMatch(/"reason":"file_streams"/);
}, 40_000);
