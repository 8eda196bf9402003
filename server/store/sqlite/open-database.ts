// Opens the SQLite file every SQLite store shares (rooms, chat): WAL, busy timeout, migrations applied once.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations';

export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('busy_timeout = 5000'); // first: other processes may share the file, even while it is created
  retryWhileBusy(() => db.pragma('journal_mode = WAL'));
  db.pragma('synchronous = NORMAL');
  // the version is read under the write lock, so processes opening a fresh file at once migrate it once
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    if (version < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
  return db;
}

const BUSY_RETRY_MS = 5000;

/**
 * Switching a fresh file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once, without
 * its busy handler, when waiting could deadlock with another process opening the file in the same moment;
 * it succeeds once that process's statement is done. Startup only, so a blocking pause is fine here.
 */
function retryWhileBusy(step: () => unknown): void {
  const until = Date.now() + BUSY_RETRY_MS;
  for (;;) {
    try {
      step();
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > until) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.floor(Math.random() * 20));
    }
  }
}
