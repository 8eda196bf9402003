// Startup warns loudly (a warn log line and a WARNING in the banner) when AUTH_MODE=dev listens beyond loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer, killAll } from './spawn-server';

const dirs: string[] = [];
afterAll(() => {
  killAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const warnLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l) as { level: number; msg: string; host?: string })
  .filter((e) => e.level === 40 && /AUTH_MODE=dev/.test(e.msg));

test.each([
  ['0.0.0.0', true],
  ['127.0.0.1', false],
])('AUTH_MODE=dev on HOST=%s: warned %s', async (host, warned) => {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-devwarn-'));
  dirs.push(dir);
  const { proc } = await bootServer({ HOST: host, DATA_DIR: dir, AUTH_MODE: 'dev' });
  expect(await proc.stop()).toBe(0);
  const lines = warnLines(proc.stdout());
  expect(lines.map((e) => e.host)).toEqual(warned ? [host] : []);
  expect(/WARNING +AUTH_MODE=dev on a non-loopback address/.test(proc.stderr())).toBe(warned);
}, 20_000);
