// Runs the built server as `npm start` does (`node <its flags> dist/server/main.js`) as a child process and
// collects its output. Jest's global setup (scripts/ensure-build.js) rebuilds dist/ first when it is stale.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { until } from '../helpers/wait';

export const MAIN = join(__dirname, '..', '..', 'dist', 'server', 'main.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startNodeFlags } = require('../../scripts/start-flags') as { startNodeFlags(): string[] };
/** the V8 flags package.json's start script passes (so node must accept them) */
export const START_FLAGS = startNodeFlags();

/** The bound ports, as the startup banner shows them (rtmpPort null when the OBS URL names no port). */
export interface PrintedPorts { httpPort: number; rtmpPort: number | null }

export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** resolves with the exit code (or the signal's name) */
  exited: Promise<number | string>;
  /** waits for the startup banner and reads the ports from its API base and OBS server lines */
  printedPorts(withinMs?: number): Promise<PrintedPorts>;
  /** polls GET /healthz until 200; throws after `withinMs` */
  healthy(port: number, withinMs?: number): Promise<number>;
  stop(): Promise<number | string>;
}

const running = new Set<ChildProcess>();

export function spawnServer(env: Record<string, string>, opts: { cwd?: string } = {}): ServerProcess {
  const stale = process.env.WXLIVE_STALE_DIST; // set by scripts/ensure-build.js when its rebuild failed
  if (stale) throw new Error(`not spawning ${MAIN}: ${stale}`);
  const { PATH, HOME } = process.env;
  // a clean environment: only what the test sets, so the machine's own variables cannot leak in
  const child = spawn(process.execPath, [...START_FLAGS, MAIN], {
    env: { PATH: PATH ?? '/usr/bin:/bin', HOME: HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: opts.cwd,
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString('utf8'); });
  child.stderr!.on('data', (b: Buffer) => { err += b.toString('utf8'); });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async printedPorts(withinMs = 5000) {
      // main.ts: "  API base       http://<host>:<port>/api", then "  OBS server     rtmp://<host>[:<port>]/<app>"
      const banner = () => /API base +http:\/\/[^/\s]+:(\d+)\/api\n +OBS server +rtmp:\/\/[^/\s:]+(?::(\d+))?\//.exec(err);
      await until(() => banner() !== null || child.exitCode !== null, withinMs, 'the startup banner')
        .catch((e: Error) => { throw new Error(`${e.message}; stderr: ${err}`); });
      const found = banner();
      if (!found) throw new Error(`server exited ${child.exitCode} before its banner: ${err}`);
      return { httpPort: Number(found[1]), rtmpPort: found[2] === undefined ? null : Number(found[2]) };
    },
    async healthy(port, withinMs = 5000) {
      const started = Date.now();
      do {
        if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${err}`);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
          if (res.status === 200) return Date.now() - started;
        } catch { /* not listening yet */ }
        await new Promise((r) => setTimeout(r, 50));
      } while (Date.now() - started < withinMs);
      throw new Error(`no /healthz within ${withinMs} ms; stderr: ${err}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Spawns the server with PORT=0 and RTMP_PORT=0 (each listener takes a free port, so parallel workers never
 * race for one), reads the bound ports from its startup banner, and waits until /healthz answers (within 5 s).
 */
export async function bootServer(
  env: Record<string, string> = {}, opts: { cwd?: string } = {},
): Promise<{ proc: ServerProcess; port: number; rtmpPort: number | null; base: string }> {
  const proc = spawnServer({ PORT: '0', RTMP_PORT: '0', ...env }, opts);
  const started = Date.now();
  const { httpPort, rtmpPort } = await proc.printedPorts(5000);
  await proc.healthy(httpPort, 5000 - (Date.now() - started));
  return { proc, port: httpPort, rtmpPort, base: `http://127.0.0.1:${httpPort}` };
}

/** Kills whatever a test left running (for afterAll). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Waits for the exit of a process that is expected to stop by itself. */
export async function exitWithin(p: ServerProcess, ms: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms; stderr: ${p.stderr()}`)), ms);
  });
  try {
    return await Promise.race([p.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
