// VideoStore on better-sqlite3, in the same database file as the rooms (its own connection). The name is UNIQUE,
// so two scans or uploads adding the same file at once make one row.
import type Database from 'better-sqlite3';
import type { VideoListQuery, VideoPatch, VideoRecord, VideoStore } from '../video-store';
import { openDatabase } from './open-database';
import { writeOrFull } from './sqlite-full';

interface VideoRow {
  id: string; name: string; title: string; public: number; format: VideoRecord['format']; duration_s: number;
  size_bytes: number; video: string | null; audio: string | null; created_at: number; mtime_ms: number;
}

const toRecord = (r: VideoRow): VideoRecord => ({
  id: r.id, name: r.name, title: r.title, public: r.public === 1, format: r.format, durationS: r.duration_s,
  sizeBytes: r.size_bytes, video: r.video ? JSON.parse(r.video) : null, audio: r.audio ? JSON.parse(r.audio) : null,
  createdAt: r.created_at, mtimeMs: r.mtime_ms,
});

const COLUMNS: Record<keyof VideoPatch, string> = {
  title: 'title', public: 'public', format: 'format', durationS: 'duration_s', sizeBytes: 'size_bytes',
  video: 'video', audio: 'audio', mtimeMs: 'mtime_ms',
};

function columnValue(key: keyof VideoPatch, v: unknown): unknown {
  if (key === 'public') return v ? 1 : 0;
  if (key === 'video' || key === 'audio') return v === null ? null : JSON.stringify(v);
  return v;
}

export class SqliteVideoStore implements VideoStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(file);
  }

  async insert(v: VideoRecord): Promise<boolean> {
    return writeOrFull(() => this.db.prepare(`INSERT OR IGNORE INTO videos
      (id, name, title, public, format, duration_s, size_bytes, video, audio, created_at, mtime_ms)
      VALUES (@id, @name, @title, @public, @format, @durationS, @sizeBytes, @video, @audio, @createdAt, @mtimeMs)`).run({
      ...v, public: v.public ? 1 : 0, video: v.video && JSON.stringify(v.video), audio: v.audio && JSON.stringify(v.audio),
    }).changes > 0);
  }

  async get(id: string): Promise<VideoRecord | null> {
    const row = this.db.prepare('SELECT * FROM videos WHERE id = ?').get(id) as VideoRow | undefined;
    return row ? toRecord(row) : null;
  }

  async byName(name: string): Promise<VideoRecord | null> {
    const row = this.db.prepare('SELECT * FROM videos WHERE name = ?').get(name) as VideoRow | undefined;
    return row ? toRecord(row) : null;
  }

  async list(q: VideoListQuery): Promise<VideoRecord[]> {
    const where: string[] = [];
    if (q.publicOnly) where.push('public = 1');
    if (q.after) where.push('(created_at < @createdAt OR (created_at = @createdAt AND id < @id))');
    const sql = `SELECT * FROM videos ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all({ limit: q.limit, createdAt: q.after?.createdAt ?? 0, id: q.after?.id ?? '' }) as VideoRow[]).map(toRecord);
  }

  async all(): Promise<VideoRecord[]> {
    return (this.db.prepare('SELECT * FROM videos ORDER BY created_at DESC, id DESC').all() as VideoRow[]).map(toRecord);
  }

  async update(id: string, patch: VideoPatch): Promise<VideoRecord | null> {
    const keys = (Object.keys(patch) as (keyof VideoPatch)[]).filter((k) => patch[k] !== undefined && k in COLUMNS);
    if (keys.length > 0) {
      const params = Object.fromEntries(keys.map((k) => [k, columnValue(k, patch[k])]));
      writeOrFull(() => this.db.prepare(`UPDATE videos SET ${keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ')} WHERE id = @id`)
        .run({ ...params, id }));
    }
    return this.get(id);
  }

  async remove(id: string): Promise<VideoRecord | null> {
    const row = writeOrFull(() => this.db.prepare('DELETE FROM videos WHERE id = ? RETURNING *').get(id)) as VideoRow | undefined;
    return row ? toRecord(row) : null;
  }

  async replayVisibility(roomId: string): Promise<Map<string, boolean>> {
    const rows = this.db.prepare('SELECT broadcast_id, public FROM replay_visibility WHERE room_id = ?').all(roomId) as
      { broadcast_id: string; public: number }[];
    return new Map(rows.map((r) => [r.broadcast_id, r.public === 1]));
  }

  async setReplayPublic(roomId: string, broadcastId: string, isPublic: boolean): Promise<void> {
    writeOrFull(() => this.db.prepare(`INSERT INTO replay_visibility (room_id, broadcast_id, public) VALUES (?, ?, ?)
      ON CONFLICT (room_id, broadcast_id) DO UPDATE SET public = excluded.public`).run(roomId, broadcastId, isPublic ? 1 : 0));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
