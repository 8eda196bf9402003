// RoomStore on better-sqlite3 (v12) in WAL mode. Synchronous underneath; the async interface is the port's.
import type Database from 'better-sqlite3';
import type { RoomStatus } from '../../../typings/api';
import type { ListQuery, RoomExpect, RoomPatch, RoomRecord, RoomStore } from '../room-store';
import { openDatabase } from './open-database';
import { writeOrFull } from './sqlite-full';

interface Row {
  id: string; title: string; cover: string | null; host_id: string; status: RoomStatus;
  created_at: number; started_at: number | null; ended_at: number | null;
  broadcast_id: string | null; disconnected_at: number | null;
  push_generation: number; push_issued_at: number | null;
}

const COLUMN: Record<keyof RoomPatch | keyof RoomExpect | 'status', string> = {
  status: 'status', startedAt: 'started_at', endedAt: 'ended_at',
  broadcastId: 'broadcast_id', disconnectedAt: 'disconnected_at', pushIssuedAt: 'push_issued_at', cover: 'cover',
};

function toRecord(r: Row): RoomRecord {
  return {
    id: r.id, title: r.title, cover: r.cover, hostId: r.host_id, status: r.status,
    createdAt: r.created_at, startedAt: r.started_at, endedAt: r.ended_at,
    broadcastId: r.broadcast_id, disconnectedAt: r.disconnected_at,
    pushGeneration: r.push_generation, pushIssuedAt: r.push_issued_at ?? r.created_at,
  };
}

export class SqliteRoomStore implements RoomStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(file);
  }

  async insert(room: RoomRecord, opts: { maxOpenPerHost?: number } = {}): Promise<boolean> {
    const cap = opts.maxOpenPerHost ?? null;
    // one statement: the count and the insert cannot be split by another writer
    return writeOrFull(() => this.db.prepare(`INSERT INTO rooms (id, title, cover, host_id, status, created_at,
      started_at, ended_at, broadcast_id, disconnected_at, push_generation, push_issued_at)
      SELECT @id, @title, @cover, @hostId, @status, @createdAt, @startedAt, @endedAt, @broadcastId, @disconnectedAt,
        @pushGeneration, @pushIssuedAt
      WHERE @cap IS NULL OR (SELECT COUNT(*) FROM rooms WHERE host_id = @hostId AND status IN ('idle', 'live')) < @cap`)
      .run({ ...room, cap }).changes > 0);
  }

  async get(id: string): Promise<RoomRecord | null> {
    const row = this.db.prepare('SELECT * FROM rooms WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  async list(q: ListQuery): Promise<RoomRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.status) { where.push('status = ?'); args.push(q.status); }
    if (q.after) {
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      args.push(q.after.createdAt, q.after.createdAt, q.after.id);
    }
    const sql = `SELECT * FROM rooms ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY created_at DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map(toRecord);
  }

  async count(status: RoomStatus): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM rooms WHERE status = ?').get(status) as { n: number }).n;
  }

  async update(id: string, from: readonly RoomStatus[], patch: RoomPatch & { status?: RoomStatus },
    expect: RoomExpect = {}): Promise<RoomRecord | null> {
    const sets = Object.keys(patch).map((k) => `${COLUMN[k as keyof typeof COLUMN]} = @set_${k}`);
    const conds = [`status IN (${from.map((_, i) => `@from_${i}`).join(', ')})`];
    const args: Record<string, unknown> = { id };
    from.forEach((s, i) => { args[`from_${i}`] = s; });
    for (const [k, v] of Object.entries(patch)) args[`set_${k}`] = v;
    for (const [k, v] of Object.entries(expect)) {
      const col = COLUMN[k as keyof typeof COLUMN];
      if (v === null) conds.push(`${col} IS NULL`);
      else { conds.push(`${col} = @exp_${k}`); args[`exp_${k}`] = v; }
    }
    if (sets.length === 0 || from.length === 0) return null;
    const row = writeOrFull(() => this.db.prepare(`UPDATE rooms SET ${sets.join(', ')} WHERE id = @id AND ${conds.join(' AND ')}
      RETURNING *`).get(args) as Row | undefined);
    return row ? toRecord(row) : null;
  }

  async issuePushTicket(id: string, at: number): Promise<RoomRecord | null> {
    const row = writeOrFull(() => this.db.prepare(`UPDATE rooms SET push_generation = push_generation + 1, push_issued_at = ?
      WHERE id = ? AND status IN ('idle', 'live') RETURNING *`).get(at, id) as Row | undefined);
    return row ? toRecord(row) : null;
  }

  async listDisconnected(before: number): Promise<RoomRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM rooms WHERE disconnected_at IS NOT NULL AND disconnected_at <= ?
      AND status = 'live'`).all(before) as Row[];
    return rows.map(toRecord);
  }

  async listIdleIssuedBefore(before: number, limit: number): Promise<RoomRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM rooms WHERE status = 'idle' AND push_issued_at <= ?
      ORDER BY push_issued_at LIMIT ?`).all(before, limit) as Row[];
    return rows.map(toRecord);
  }

  async claimOnce(key: string, value: string, expiresAt: number): Promise<string | null> {
    return writeOrFull(() => this.db.transaction(() => {
      this.db.prepare('DELETE FROM once_keys WHERE expires_at < ?').run(Date.now());
      if (this.db.prepare('INSERT OR IGNORE INTO once_keys (key, value, expires_at) VALUES (?, ?, ?)').run(key, value, expiresAt).changes > 0) {
        return null;
      }
      return (this.db.prepare('SELECT value FROM once_keys WHERE key = ?').get(key) as { value: string }).value;
    }).immediate());
  }

  async delete(id: string): Promise<boolean> {
    return writeOrFull(() => this.db.prepare('DELETE FROM rooms WHERE id = ?').run(id).changes > 0);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
