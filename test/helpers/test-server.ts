// Starts a real wxlive server in this process on loopback ports, with its own temporary DATA_DIR. Both
// listeners bind port 0 and report the port they got, so parallel jest workers never race for a port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../../server/config';
import { startServer, type RunningServer } from '../../server/server';

export interface TestServer {
  url: string;
  rtmpUrl: string;
  httpPort: number;
  rtmpPort: number;
  config: Config;
  dataDir: string;
  server: RunningServer;
  /** stop the server; the data dir is kept unless `cleanup` */
  stop(cleanup?: boolean): Promise<void>;
}

export interface TestServerOptions {
  /** a logger to use instead of the silent default (e.g. one writing into an array, to check what is logged) */
  log?: Logger;
}

/**
 * Suites create many rooms and logins per user and address (all of them 127.0.0.1): the per-user, per-address
 * and open-room limits are raised here. Tests of those limits set them in `env`, which wins.
 */
export const RELAXED_ROOM_LIMITS = {
  LOGIN_PER_IP_PER_MIN: '100000', LOGIN_PER_USER_PER_MIN: '100000', ROOM_CREATE_PER_USER_PER_MIN: '100000', ROOM_CREATE_PER_IP_PER_MIN: '100000',
  MAX_OPEN_ROOMS_PER_HOST: '100000',
} as const;

export async function startTestServer(env: Record<string, string> = {}, opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'wxlive-test-'));
  const config = loadConfig({
    HOST: '127.0.0.1', PORT: '0', RTMP_PORT: '0', LOG_LEVEL: 'silent', ...RELAXED_ROOM_LIMITS, ...env, DATA_DIR: dataDir,
  });
  const log = opts.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? config.LOG_LEVEL });
  const server = await startServer(config, log);
  // the Tencent plane runs no RTMP listener: keep the configured port so a test can show nothing answers there
  const rtmpPort = server.rtmpPort ?? config.RTMP_PORT;
  return {
    url: `http://127.0.0.1:${server.httpPort}`,
    rtmpUrl: `rtmp://127.0.0.1:${rtmpPort}/live`,
    httpPort: server.httpPort,
    rtmpPort,
    config,
    dataDir,
    server,
    async stop(cleanup = false) {
      await server.close();
      if (cleanup) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A logger at trace level whose lines are kept in memory, to assert what is (and is never) logged. */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => { lines.push(line); } });
  return { log, lines };
}
