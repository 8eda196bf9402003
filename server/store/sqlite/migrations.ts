// Schema migrations for the SQLite store, applied in order and recorded in user_version.
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE rooms (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     cover TEXT,
     host_id TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('idle', 'live', 'ended')),
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     ended_at INTEGER,
     broadcast_id TEXT,
     disconnected_at INTEGER
   );
   CREATE INDEX rooms_newest ON rooms (created_at DESC, id DESC);
   CREATE INDEX rooms_status_newest ON rooms (status, created_at DESC, id DESC);
   CREATE INDEX rooms_disconnected ON rooms (disconnected_at) WHERE disconnected_at IS NOT NULL;`,
];
