// A real redis-server for tests (the Debian package; scripts/ensure-tools.js installs it): on a free loopback
// port, in a temporary directory, with no persistence. `stop()` then `start()` restarts it on the same port,
// for reconnect tests. Every server started here is killed at process exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  url: string;
  port: number;
  /** (re)starts it on the same port; resolves once it accepts connections */
  start(): Promise<void>;
  /** kills it (SIGKILL: no shutdown save, the way a crash looks to clients); resolves once exited */
  stop(): Promise<void>;
  /** stops it and removes its directory */
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/** redis-server has no `--port 0`: take a free port from the kernel, release it, and hand it to redis. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

export async function startRedisServer(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-redis-'));
  let proc: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const start = async () => {
    if (proc) return;
    output = '';
    const child = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
      '--protected-mode', 'no', '--loglevel', 'warning',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc = child;
    running.add(child);
    child.stdout!.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-8192); });
    child.stderr!.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-8192); });
    exited = new Promise<void>((resolve) => child.once('exit', () => { running.delete(child); if (proc === child) proc = null; resolve(); }));
    const spawnError = new Promise<never>((_, reject) => child.once('error', (err) => reject(
      new Error(`redis-server could not start (${err.message}): install the Debian package redis-server (node scripts/ensure-tools.js)`))));
    const deadline = Date.now() + 10_000;
    while (!(await Promise.race([accepts(port), spawnError]))) {
      if (!proc) throw new Error(`redis-server exited at start: ${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within 10 s: ${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const stop = async () => {
    proc?.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
