// Several processes opening one fresh SQLite file at the same moment (nodes sharing DATA_DIR, or a
// restart racing a second instance): the schema is migrated once and every process can write.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';

const STORE_JS = join(__dirname, '..', '..', 'dist', 'server', 'store', 'sqlite', 'sqlite-room-store.js');

// each child opens the store (migrating if it must) and inserts one room named after itself
const CHILD = `
const { SqliteRoomStore } = require(process.argv[1]);
const s = new SqliteRoomStore(process.argv[2]);
s.insert({ id: 'p' + process.pid, title: 't', cover: null, hostId: 'h', status: 'idle', createdAt: Date.now(),
  startedAt: null, endedAt: null, broadcastId: null, disconnectedAt: null })
  .then(() => s.close())
  .then(() => process.exit(0), (e) => { process.stderr.write(e.message); process.exit(1); });
`;

function child(file: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', CHILD, STORE_JS, file], { timeout: 15_000 }, (err, _out, stderr) => {
      resolve({ code: err ? 1 : 0, stderr });
    });
  });
}

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
