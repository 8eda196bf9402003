// Issue 10 row 4, as the review ran it: 1500 HTTP-FLV viewers of an idle room from one address, against the
// built server in its own process with its open files limited to 400 (the review's `ulimit -n 400`).
// Acceptance: "FLV/HLS/RTMP per-IP caps; …; the API stays answerable throughout."
//
// Found open in the issue-10 audit: a refused viewer kept its socket (429 with keep-alive) and one address could
// fill the descriptors, so about half of the fresh API clients below went unanswered. Now limit refusals close
// their connection, and HTTP_MAX_PER_IP lets a new connection take the place of its address's oldest idle one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRoom } from '../helpers/http';
import { RawSocket } from '../helpers/raw-socket';
import { until } from '../helpers/wait';
import { bootServer, killAll, type ServerProcess } from '../process/spawn-server';
import { playUrls } from '../media/e2e/e2e-kit';

const CROWD = 1500;
const FD_LIMIT = 400;
const FLV_MAX_PER_IP = 100; // the default
const dirs: string[] = [];
let proc: ServerProcess | undefined;
const sockets: RawSocket[] = [];

afterEach(async () => {
  for (const r of sockets.splice(0)) r.close();
  await proc?.stop();
  proc = undefined;
});
afterAll(() => {
  killAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A GET on a new connection (a new API client; fetch would reuse a kept-alive one): its status, 0 if none. */
async function fresh(port: number, path: string): Promise<number> {
  const r = await RawSocket.get(port, path, { connection: 'close' }).catch(() => null);
  if (!r) return 0;
  await Promise.race([r.closed, new Promise((res) => setTimeout(res, 2000))]);
  r.close();
  return r.status ?? 0;
}

const openFiles = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

test.each([
  ['the default caps', {}],
  ['HTTP_MAX_CONNECTIONS below the fd limit', { HTTP_MAX_CONNECTIONS: '300' }],
])(`${CROWD} HTTP-FLV viewers of an idle room from one address, nofile=${FD_LIMIT}, %s: new API clients are answered throughout`, async (_, env) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxlive-flv-crowd-'));
  dirs.push(dataDir);
  const booted = await bootServer({ HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env });
  proc = booted.proc;
  const pid = proc.child.pid!;
  execFileSync('prlimit', ['--pid', String(pid), `--nofile=${FD_LIMIT}:${FD_LIMIT}`]);
  const { room } = await createRoom(booted.base, 'nobody publishes here');
  const flv = new URL((await playUrls(booted.base, room.id)).flv);
  const path = flv.pathname + flv.search;

  const probes: { healthz: number; room: number }[] = [];
  let peakFiles = openFiles(pid);
  let probing = true;
  const probe = (async () => {
    while (probing) {
      probes.push({ healthz: await fresh(booted.port, '/healthz'), room: await fresh(booted.port, `/api/rooms/${room.id}`) });
      peakFiles = Math.max(peakFiles, openFiles(pid));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    for (let i = 0; i < CROWD; i += 100) {
      sockets.push(...await Promise.all(Array.from({ length: Math.min(100, CROWD - i) }, () => RawSocket.get(booted.port, path))));
    }
    await until(() => sockets.every((r) => r.status !== null || r.isClosed), 20_000, 'every viewer to be answered or closed');
    await until(() => sockets.filter((r) => !r.isClosed).length <= FLV_MAX_PER_IP, 15_000, 'the refused connections to go');
    // a loaded machine may get through the crowd in a few probes: a few more while its admitted viewers still hold on
    await until(() => probes.length > 5, 15_000, 'six API probes');
  } finally {
    probing = false;
    await probe;
  }
  // the per-address FLV cap itself holds (this part passes today)
  expect(sockets.filter((r) => r.status === 200 && !r.isClosed)).toHaveLength(FLV_MAX_PER_IP);
  expect(peakFiles).toBeLessThanOrEqual(FD_LIMIT);
  // the gap: a fresh API client must be answered while one address floods the listener
  expect(probes.length).toBeGreaterThan(5);
  expect(probes.filter((p) => p.healthz !== 200 || p.room !== 200)).toEqual([]);
}, 90_000);
