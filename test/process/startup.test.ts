// `npm start` as a real process: up within 5 s, clear one-line refusals, secrets kept and never printed.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawRtmpClient } from '../helpers/rtmp-client';
import { until } from '../helpers/wait';
import { START_FLAGS, bootServer, exitWithin, killAll, spawnServer, type ServerProcess } from './spawn-server';

let dataDir: string;
let port: number;
let rtmpPort: number | null;
let first: ServerProcess;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wxlive-proc-'));
  ({ proc: first, port, rtmpPort } = await bootServer({ DATA_DIR: dataDir }));
});
afterAll(async () => {
  await first?.stop();
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

test('serves /healthz within 5 s and prints where to connect and where the admin token is kept', async () => {
  // PORT=0 and RTMP_PORT=0: the printed URLs name the ports the listeners got
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(await health.json()).toEqual({ status: 'ok' });
  const err = first.stderr();
  expect(port).toBeGreaterThan(0);
  expect(err).toContain(`http://localhost:${port}/api`);
  expect(err).toContain(`http://localhost:${port}/admin`);
  expect(err).toContain(`rtmp://localhost:${rtmpPort}/live`);
  expect(rtmpPort).toBeGreaterThan(0);
  const obs = await RawRtmpClient.open(rtmpPort!); // RTMP answers on the printed port
  await obs.handshake();
  obs.destroy();
  expect(err).toContain(`kept in ${join(dataDir, 'admin-token')}`);
});

test("it runs with npm start's V8 memory and tier-up flags (node accepted them: the server is up)", () => {
  expect(START_FLAGS).toEqual(expect.arrayContaining([
    expect.stringMatching(/^--max-semi-space-size=\d+$/), expect.stringMatching(/^--heap-growing-percent=\d+$/),
    expect.stringMatching(/^--interrupt-budget=\d+$/),
  ]));
  const cmdline = readFileSync(`/proc/${first.child.pid}/cmdline`, 'utf8').split('\0');
  for (const flag of START_FLAGS) expect(cmdline).toContain(flag);
});

test('the generated secrets are files of mode 0600 whose contents never appear in the output', async () => {
  // make the server log requests that carry the token first, so there is output to search
  const admin = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const stats = await fetch(`http://127.0.0.1:${port}/api/admin/stats`, { headers: { authorization: `Bearer ${admin}` } });
  expect(stats.status).toBe(200);
  await fetch(`http://127.0.0.1:${port}/api/admin/stats?token=${admin}`, { headers: { authorization: `Bearer ${admin}x` } });
  // each request writes one access log line: wait for both
  const logged = () => first.stdout().split('\n').filter((l) => l.includes('"path":"/api/admin/stats"')).length;
  await until(() => logged() >= 2, 3000, 'the access log lines of both requests');
  for (const name of ['admin-token', 'signing-secret']) {
    const file = join(dataDir, name);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secret = readFileSync(file, 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(16);
    expect(first.stdout()).not.toContain(secret);
    expect(first.stderr()).not.toContain(secret);
  }
  expect(first.stdout()).toMatch(/"msg":"wxlive started"/); // stdout is the JSON log, and it is there
});

test('a second instance on the same port exits 1 with one line naming the port', async () => {
  const second = spawnServer({ PORT: String(port), RTMP_PORT: '0', DATA_DIR: dataDir });
  expect(await exitWithin(second, 10_000)).toBe(1);
  const lines = second.stderr().trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`port ${port} in use`);
  expect(second.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  // the first one is untouched
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
});

test('an RTMP port another process holds: exit 1 with one line naming it', async () => {
  // hold a port by listening on 0 ourselves (on all interfaces, like the server): nobody else can take it
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '0.0.0.0', r));
  const held = (holder.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-rtmpheld-'));
  try {
    const p = spawnServer({ PORT: '0', RTMP_PORT: String(held), DATA_DIR: dir });
    expect(await exitWithin(p, 10_000)).toBe(1);
    const lines = p.stderr().trimEnd().split('\n');
    expect(lines).toEqual([expect.stringContaining(`port ${held} in use: the RTMP listener`)]);
  } finally {
    holder.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.each<[Record<string, string>, string]>([
  [{ PORT: 'abc' }, 'PORT'],
  [{ AUTH_MODE: 'nope' }, 'AUTH_MODE'],
  [{ RTMP_PORT: '99999' }, 'RTMP_PORT'],
  [{ AUTH_MODE: 'wechat' }, 'WECHAT_APPID'],
  [{ SIGNING_SECRET: 'too-short-secret' }, 'SIGNING_SECRET'],
])('bad config %o exits 1 naming %s', async (env, name) => {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-badcfg-'));
  try {
    const p = spawnServer({ PORT: '0', RTMP_PORT: '0', DATA_DIR: dir, ...env });
    expect(await exitWithin(p, 10_000)).toBe(1);
    expect(p.stderr()).toMatch(new RegExp(`^wxlive: invalid configuration: .*\\b${name}: `));
    expect(p.stderr().trimEnd().split('\n')).toHaveLength(1);
    if (env.SIGNING_SECRET) expect(p.stderr()).not.toContain(env.SIGNING_SECRET);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with ADMIN_TOKEN and SIGNING_SECRET given, startup says so, never prints them, and writes no files for them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-envsecret-'));
  const env = { DATA_DIR: dir, ADMIN_TOKEN: 'given-admin-token-0123456789', SIGNING_SECRET: 'given-signing-secret-0123456789abcdef' };
  try {
    const { proc, base } = await bootServer(env);
    const stats = await fetch(`${base}/api/admin/stats`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
    expect(stats.status).toBe(200);
    expect(await proc.stop()).toBe(0);
    expect(proc.stderr()).toMatch(/admin token\s+from ADMIN_TOKEN/);
    for (const value of [env.ADMIN_TOKEN, env.SIGNING_SECRET]) {
      expect(proc.stdout() + proc.stderr()).not.toContain(value);
    }
    expect(() => statSync(join(dir, 'admin-token'))).toThrow();
    expect(() => statSync(join(dir, 'signing-secret'))).toThrow();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM stops the server cleanly with exit code 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-stop-'));
  try {
    const { proc } = await bootServer({ DATA_DIR: dir });
    expect(await proc.stop()).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
