// Startup warns when the open-files limit is below what the connection caps may hold (server/open-files.ts).
import { spawnSync } from 'node:child_process';
import { filesTheCapsMayHold, openFilesLimit, openFilesWarning } from '../../server/open-files';

const CAPS = { HTTP_MAX_CONNECTIONS: 4000, RTMP_MAX_CONNECTIONS: 1000, FILE_STREAMS_MAX: 256 };
const LIMITS = (soft: string) => [
  'Limit                     Soft Limit           Hard Limit           Units     ',
  'Max processes             95000                95000                processes ',
  `Max open files            ${soft.padEnd(20)} 1048576              files     `,
].join('\n');

test('the soft limit is read from /proc/self/limits text', () => {
  expect(openFilesLimit(LIMITS('1024'))).toBe(1024);
  expect(openFilesLimit(LIMITS('unlimited'))).toBe(Number.POSITIVE_INFINITY);
  expect(openFilesLimit('nothing here')).toBeNull();
});

test('this process: the same number the shell reports', () => {
  const shell = spawnSync('sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).stdout.trim();
  expect(String(openFilesLimit())).toBe(shell === 'unlimited' ? 'Infinity' : shell);
});

test('the default caps need 5420 files: 1024 warns with the number to raise it to, 65536 does not', () => {
  expect(filesTheCapsMayHold(CAPS)).toBe(4000 + 1100 + 256 + 64);
  expect(openFilesWarning(1024, CAPS)).toContain('ulimit -n 5420');
  expect(openFilesWarning(5419, CAPS)).not.toBeNull();
  expect(openFilesWarning(5420, CAPS)).toBeNull();
  expect(openFilesWarning(65536, CAPS)).toBeNull();
  expect(openFilesWarning(null, CAPS)).toBeNull();
});

test('npm start under ulimit -n 1024 says so in a warn line and the banner', async () => {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { MAIN, START_FLAGS } = await import('../process/spawn-server');
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-nofile-'));
  const child = spawn('prlimit', ['--nofile=1024:1024', process.execPath, ...START_FLAGS, MAIN], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', RTMP_PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'warn' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no banner: ${err}`)), 15_000);
      child.stderr.on('data', (d) => {
        err += d;
        if (err.includes('wxlive is up')) { clearTimeout(t); resolve(); } // the banner is one write
      });
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  expect(err).toMatch(/WARNING +open files limit 1024 is below the 5420/);
  const warn = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => /open files limit/.test(l.msg));
  expect(warn).toMatchObject({ level: 40, limit: 1024 });
}, 30_000);
