// ChatStore on better-sqlite3, in the same database file as the rooms (its own connection, like a second node).
import type Database from 'better-sqlite3';
import type { ChatSettingsRecord, ChatStore, MessagePageQuery, MessageRecord, Restrictions, UserBanRecord } from '../chat-store';
import { openDatabase } from './open-database';
import { writeOrFull } from './sqlite-full';

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
  private readonly restricting: Database.Statement;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.insert = this.db.prepare(`INSERT INTO messages (id, room_id, user_id, nickname, text, at)
      VALUES (@id, @roomId, @userId, @nickname, @text, @at)`);
    this.newest = this.db.prepare('SELECT * FROM messages WHERE room_id = ? ORDER BY id DESC LIMIT ?');
    this.older = this.db.prepare('SELECT * FROM messages WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?');
    this.bump = this.db.prepare(`INSERT INTO room_likes (room_id, total) VALUES (?, ?)
      ON CONFLICT (room_id) DO UPDATE SET total = total + excluded.total RETURNING total`);
    // one read before every message: the three answers in one statement
    this.restricting = this.db.prepare(`SELECT
      (SELECT until FROM chat_mutes WHERE room_id = @roomId AND user_id = @userId) AS muted_until,
      EXISTS (SELECT 1 FROM chat_bans WHERE room_id = @roomId AND user_id = @userId) AS room_ban,
      EXISTS (SELECT 1 FROM user_bans WHERE user_id = @userId) AS user_ban`);
  }

  async addMessage(m: MessageRecord): Promise<void> {
    writeOrFull(() => this.insert.run(m));
  }

  async listMessages(roomId: string, q: MessagePageQuery): Promise<MessageRecord[]> {
    const rows = (q.before === undefined ? this.newest.all(roomId, q.limit) : this.older.all(roomId, q.before, q.limit)) as Row[];
    return rows.map(toRecord);
  }

  async deleteMessage(roomId: string, id: string): Promise<boolean> {
    return writeOrFull(() => this.db.prepare('DELETE FROM messages WHERE room_id = ? AND id = ?').run(roomId, id).changes > 0);
  }

  async addLikes(roomId: string, count: number): Promise<number> {
    return writeOrFull(() => (this.bump.get(roomId, count) as { total: number }).total);
  }

  async likes(roomId: string): Promise<number> {
    const row = this.db.prepare('SELECT total FROM room_likes WHERE room_id = ?').get(roomId) as { total: number } | undefined;
    return row?.total ?? 0;
  }

  async setMute(roomId: string, userId: string, until: number): Promise<void> {
    writeOrFull(() => this.db.prepare(`INSERT INTO chat_mutes (room_id, user_id, until) VALUES (?, ?, ?)
      ON CONFLICT (room_id, user_id) DO UPDATE SET until = excluded.until`).run(roomId, userId, until));
  }

  async addRoomBan(roomId: string, userId: string, at: number): Promise<void> {
    writeOrFull(() => this.db.prepare('INSERT OR IGNORE INTO chat_bans (room_id, user_id, at) VALUES (?, ?, ?)').run(roomId, userId, at));
  }

  async restrictions(roomId: string, userId: string): Promise<Restrictions> {
    const r = this.restricting.get({ roomId, userId }) as { muted_until: number | null; room_ban: number; user_ban: number };
    return { mutedUntil: r.muted_until, roomBan: r.room_ban === 1, userBan: r.user_ban === 1 };
  }

  async setSettings(roomId: string, s: ChatSettingsRecord): Promise<void> {
    writeOrFull(() => this.db.prepare(`INSERT INTO chat_settings (room_id, slow_mode_s, closed) VALUES (?, ?, ?)
      ON CONFLICT (room_id) DO UPDATE SET slow_mode_s = excluded.slow_mode_s, closed = excluded.closed`)
      .run(roomId, s.slowModeS, s.closed ? 1 : 0));
  }

  async settings(roomId: string): Promise<ChatSettingsRecord | null> {
    const row = this.db.prepare('SELECT slow_mode_s, closed FROM chat_settings WHERE room_id = ?').get(roomId) as
      { slow_mode_s: number; closed: number } | undefined;
    return row ? { slowModeS: row.slow_mode_s, closed: row.closed === 1 } : null;
  }

  async banUser(userId: string, at: number): Promise<void> {
    writeOrFull(() => this.db.prepare('INSERT OR IGNORE INTO user_bans (user_id, at) VALUES (?, ?)').run(userId, at));
  }

  async unbanUser(userId: string): Promise<boolean> {
    return writeOrFull(() => this.db.prepare('DELETE FROM user_bans WHERE user_id = ?').run(userId).changes > 0);
  }

  async isUserBanned(userId: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM user_bans WHERE user_id = ?').get(userId) !== undefined;
  }

  async bannedUsers(): Promise<UserBanRecord[]> {
    const rows = this.db.prepare('SELECT user_id, at FROM user_bans ORDER BY at DESC, user_id').all() as { user_id: string; at: number }[];
    return rows.map((r) => ({ userId: r.user_id, at: r.at }));
  }

  async setNickname(userId: string, nickname: string): Promise<void> {
    writeOrFull(() => this.db.prepare(`INSERT INTO user_profiles (user_id, nickname) VALUES (?, ?)
      ON CONFLICT (user_id) DO UPDATE SET nickname = excluded.nickname`).run(userId, nickname));
  }

  async nickname(userId: string): Promise<string | null> {
    const row = this.db.prepare('SELECT nickname FROM user_profiles WHERE user_id = ?').get(userId) as { nickname: string } | undefined;
    return row?.nickname ?? null;
  }

  async deleteRoom(roomId: string): Promise<void> {
    writeOrFull(() => this.db.transaction(() => {
      for (const table of ['messages', 'room_likes', 'chat_mutes', 'chat_bans', 'chat_settings']) {
        this.db.prepare(`DELETE FROM ${table} WHERE room_id = ?`).run(roomId);
      }
    }).immediate());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
