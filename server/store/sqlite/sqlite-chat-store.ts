// ChatStore on better-sqlite3, in the same database file as the rooms (its own connection, like a second node).
import type Database from 'better-sqlite3';
import type { ChatStore, MessagePageQuery, MessageRecord } from '../chat-store';
import { openDatabase } from './open-database';
import { asStorageFull } from './sqlite-full';

interface Row { id: string; room_id: string; user_id: string; nickname: string; text: string; at: number }

const toRecord = (r: Row): MessageRecord => ({
  id: r.id, roomId: r.room_id, userId: r.user_id, nickname: r.nickname, text: r.text, at: r.at,
});

export class SqliteChatStore implements ChatStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly newest: Database.Statement;
  private readonly older: Database.Statement;
  private readonly bump: Database.Statement;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.insert = this.db.prepare(`INSERT INTO messages (id, room_id, user_id, nickname, text, at)
      VALUES (@id, @roomId, @userId, @nickname, @text, @at)`);
    this.newest = this.db.prepare('SELECT * FROM messages WHERE room_id = ? ORDER BY id DESC LIMIT ?');
    this.older = this.db.prepare('SELECT * FROM messages WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?');
    this.bump = this.db.prepare(`INSERT INTO room_likes (room_id, total) VALUES (?, ?)
      ON CONFLICT (room_id) DO UPDATE SET total = total + excluded.total RETURNING total`);
  }

  /** Runs one statement; a full disk becomes StorageFull (507), never a 500. */
  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw asStorageFull(err) ?? err;
    }
  }

  async addMessage(m: MessageRecord): Promise<void> {
    this.write(() => this.insert.run(m));
  }

  async listMessages(roomId: string, q: MessagePageQuery): Promise<MessageRecord[]> {
    const rows = (q.before === undefined ? this.newest.all(roomId, q.limit) : this.older.all(roomId, q.before, q.limit)) as Row[];
    return rows.map(toRecord);
  }

  async deleteMessage(roomId: string, id: string): Promise<boolean> {
    return this.write(() => this.db.prepare('DELETE FROM messages WHERE room_id = ? AND id = ?').run(roomId, id).changes > 0);
  }

  async addLikes(roomId: string, count: number): Promise<number> {
    return this.write(() => (this.bump.get(roomId, count) as { total: number }).total);
  }

  async likes(roomId: string): Promise<number> {
    const row = this.db.prepare('SELECT total FROM room_likes WHERE room_id = ?').get(roomId) as { total: number } | undefined;
    return row?.total ?? 0;
  }

  async deleteRoom(roomId: string): Promise<void> {
    this.write(() => this.db.transaction(() => {
      this.db.prepare('DELETE FROM messages WHERE room_id = ?').run(roomId);
      this.db.prepare('DELETE FROM room_likes WHERE room_id = ?').run(roomId);
    }).immediate());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
