// Opens the SQLite file every SQLite store shares (rooms, chat): WAL, busy timeout, migrations applied once.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations';

export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('busy_timeout = 5000'); // first: other processes may share the file, even while it is created
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // the version is read under the write lock, so processes opening a fresh file at once migrate it once
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    if (version < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
  return db;
}
