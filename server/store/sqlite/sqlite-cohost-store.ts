// CohostStore on better-sqlite3, in the same database file as the rooms (its own connection, like a second node).
// The line-up's primary key is the slot and the user is UNIQUE, so two accepts at once cannot share either.
import type Database from 'better-sqlite3';
import type { GuestSlot } from '../../../typings/cohost';
import type { CohostGuestRecord, CohostRequestRecord, CohostStore } from '../cohost-store';
import { openDatabase } from './open-database';
import { writeOrFull } from './sqlite-full';

interface RequestRow { room_id: string; user_id: string; nickname: string; at: number }
interface GuestRow { room_id: string; slot: GuestSlot; user_id: string; nickname: string; generation: number; accepted_at: number }

const toRequest = (r: RequestRow): CohostRequestRecord => ({ roomId: r.room_id, userId: r.user_id, nickname: r.nickname, at: r.at });
const toGuest = (r: GuestRow): CohostGuestRecord => ({
  roomId: r.room_id, slot: r.slot, userId: r.user_id, nickname: r.nickname, generation: r.generation, acceptedAt: r.accepted_at,
});

export class SqliteCohostStore implements CohostStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(file);
  }

  async addRequest(r: CohostRequestRecord, staleBefore: number): Promise<boolean> {
    // a fresh request keeps its place in the queue; a stale one is replaced as if new
    return writeOrFull(() => this.db.prepare(`INSERT INTO cohost_requests (room_id, user_id, nickname, at) VALUES (@roomId, @userId, @nickname, @at)
      ON CONFLICT (room_id, user_id) DO UPDATE SET nickname = excluded.nickname, at = excluded.at WHERE at < @staleBefore`)
      .run({ ...r, staleBefore }).changes > 0);
  }

  async requests(roomId: string, since: number): Promise<CohostRequestRecord[]> {
    const rows = this.db.prepare('SELECT * FROM cohost_requests WHERE room_id = ? AND at >= ? ORDER BY at, user_id').all(roomId, since) as RequestRow[];
    return rows.map(toRequest);
  }

  async takeRequest(roomId: string, userId: string, since: number): Promise<CohostRequestRecord | null> {
    const row = writeOrFull(() => this.db.prepare('DELETE FROM cohost_requests WHERE room_id = ? AND user_id = ? RETURNING *')
      .get(roomId, userId)) as RequestRow | undefined;
    return row && row.at >= since ? toRequest(row) : null;
  }

  async addGuest(g: CohostGuestRecord): Promise<boolean> {
    return writeOrFull(() => this.db.prepare(`INSERT OR IGNORE INTO cohost_guests (room_id, slot, user_id, nickname, generation, accepted_at)
      VALUES (@roomId, @slot, @userId, @nickname, @generation, @acceptedAt)`).run(g).changes > 0);
  }

  async guests(roomId: string): Promise<CohostGuestRecord[]> {
    return (this.db.prepare('SELECT * FROM cohost_guests WHERE room_id = ? ORDER BY slot').all(roomId) as GuestRow[]).map(toGuest);
  }

  async removeGuest(roomId: string, userId: string): Promise<CohostGuestRecord | null> {
    const row = writeOrFull(() => this.db.prepare('DELETE FROM cohost_guests WHERE room_id = ? AND user_id = ? RETURNING *')
      .get(roomId, userId)) as GuestRow | undefined;
    return row ? toGuest(row) : null;
  }

  async deleteRoom(roomId: string): Promise<void> {
    writeOrFull(() => this.db.transaction(() => {
      this.db.prepare('DELETE FROM cohost_requests WHERE room_id = ?').run(roomId);
      this.db.prepare('DELETE FROM cohost_guests WHERE room_id = ?').run(roomId);
    })());
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
