// Several processes starting on one fresh DATA_DIR at the same moment (nodes sharing it, or a restart
// racing a second instance): the SQLite schema is migrated once, and they all agree on the secrets.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';

const DIST = join(__dirname, '..', '..', 'dist', 'server');
const STORE_JS = join(DIST, 'store', 'sqlite', 'sqlite-room-store.js');
const CONFIG_JS = join(DIST, 'config', 'index.js');

// each child opens the store (migrating if it must) and inserts one room named after itself
const CHILD = `
const { SqliteRoomStore } = require(process.argv[1]);
const s = new SqliteRoomStore(process.argv[2]);
s.insert({ id: 'p' + process.pid, title: 't', cover: null, hostId: 'h', status: 'idle', createdAt: Date.now(),
  startedAt: null, endedAt: null, broadcastId: null, disconnectedAt: null, pushGeneration: 0, pushIssuedAt: Date.now() })
  .then(() => s.close())
  .then(() => process.exit(0), (e) => { process.stderr.write(e.message); process.exit(1); });
`;

// each child loads the config of one DATA_DIR (generating the secrets if it must) and prints them
const SECRETS_CHILD = `
const { loadConfig } = require(process.argv[1]);
process.stdout.write(JSON.stringify(loadConfig({ DATA_DIR: process.argv[2] }).secrets));
`;

function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script, ...args], { timeout: 15_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? 1 : 0, stdout, stderr });
    });
  });
}

const child = async (file: string) => {
  const { code, stderr } = await run(CHILD, [STORE_JS, file]);
  return { code, stderr };
};

test('six processes opening a fresh file at once all succeed, and all their rows are there', async () => {
  for (let round = 0; round < 8; round++) {
    const dir = mkdtempSync(join(tmpdir(), 'wxlive-race-'));
    try {
      const file = join(dir, 'wxlive.db');
      const results = await Promise.all(Array.from({ length: 6 }, () => child(file)));
      expect(results).toEqual(Array.from({ length: 6 }, () => ({ code: 0, stderr: '' })));
      const store = new SqliteRoomStore(file);
      expect(await store.count('idle')).toBe(6);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('six processes generating the secrets of a fresh DATA_DIR at once end up with the same ones', async () => {
  for (let round = 0; round < 8; round++) {
    const dir = mkdtempSync(join(tmpdir(), 'wxlive-race-'));
    try {
      const results = await Promise.all(Array.from({ length: 6 }, () => run(SECRETS_CHILD, [CONFIG_JS, join(dir, 'data')])));
      for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const secrets = results.map((r) => JSON.parse(r.stdout));
      for (const s of secrets) expect(s).toEqual(secrets[0]);
      expect(readFileSync(join(dir, 'data', 'signing-secret'), 'utf8').trim()).toBe(secrets[0].signingSecret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
