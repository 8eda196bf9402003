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
  // issue 10: push ticket generations (revocation), idle expiry, the open-room cap, one-time callback keys
  `ALTER TABLE rooms ADD COLUMN push_generation INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE rooms ADD COLUMN push_issued_at INTEGER;
   UPDATE rooms SET push_issued_at = created_at;
   CREATE INDEX rooms_host_open ON rooms (host_id) WHERE status IN ('idle', 'live');
   CREATE INDEX rooms_idle_issued ON rooms (push_issued_at) WHERE status = 'idle';
   CREATE TABLE once_keys (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL);
   CREATE INDEX once_keys_expiry ON once_keys (expires_at);`,
  // issue 13: room chat. Message ids sort by time, so (room_id, id) serves both history and scroll-back.
  `CREATE TABLE messages (
     id TEXT NOT NULL,
     room_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     nickname TEXT NOT NULL,
     text TEXT NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (room_id, id)
   ) WITHOUT ROWID;
   CREATE TABLE room_likes (room_id TEXT PRIMARY KEY, total INTEGER NOT NULL) WITHOUT ROWID;`,
  // issue 13, moderation: per-room mutes, bans and settings (deleted with the room), global bans, nicknames
  `CREATE TABLE chat_mutes (room_id TEXT NOT NULL, user_id TEXT NOT NULL, until INTEGER NOT NULL, PRIMARY KEY (room_id, user_id)) WITHOUT ROWID;
   CREATE TABLE chat_bans (room_id TEXT NOT NULL, user_id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (room_id, user_id)) WITHOUT ROWID;
   CREATE TABLE chat_settings (room_id TEXT PRIMARY KEY, slow_mode_s INTEGER NOT NULL, closed INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE user_bans (user_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE user_profiles (user_id TEXT PRIMARY KEY, nickname TEXT NOT NULL) WITHOUT ROWID;`,
  // issue 16: the webhook outbox, one row per event and URL; due rows are found by (state, next_at)
  `CREATE TABLE webhook_deliveries (
     id TEXT PRIMARY KEY,
     event_id TEXT NOT NULL,
     type TEXT NOT NULL,
     url TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
     attempts INTEGER NOT NULL,
     next_at INTEGER NOT NULL,
     lease_owner TEXT,
     lease_until INTEGER,
     last_status INTEGER,
     last_error TEXT
   ) WITHOUT ROWID;
   CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
   CREATE INDEX webhook_deliveries_newest ON webhook_deliveries (created_at DESC, id DESC);`,
  // issue 15, co-hosting: pending requests (expired by time on read) and each room's line-up, one user per slot
  `CREATE TABLE cohost_requests (room_id TEXT NOT NULL, user_id TEXT NOT NULL, nickname TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (room_id, user_id)) WITHOUT ROWID;
   CREATE TABLE cohost_guests (
     room_id TEXT NOT NULL, slot TEXT NOT NULL, user_id TEXT NOT NULL, nickname TEXT NOT NULL,
     generation INTEGER NOT NULL, accepted_at INTEGER NOT NULL,
     PRIMARY KEY (room_id, slot), UNIQUE (room_id, user_id)
   ) WITHOUT ROWID;`,
  // issue 14, video library: one row per library file (media facts as JSON), and hidden/public replays
  `CREATE TABLE videos (
     id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, title TEXT NOT NULL, public INTEGER NOT NULL, format TEXT NOT NULL,
     duration_s REAL NOT NULL, size_bytes INTEGER NOT NULL, video TEXT, audio TEXT, created_at INTEGER NOT NULL, mtime_ms REAL NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX videos_newest ON videos (created_at DESC, id DESC);
   CREATE INDEX videos_public_newest ON videos (public, created_at DESC, id DESC);
   CREATE TABLE replay_visibility (room_id TEXT NOT NULL, broadcast_id TEXT NOT NULL, public INTEGER NOT NULL, PRIMARY KEY (room_id, broadcast_id)) WITHOUT ROWID;`,
];
