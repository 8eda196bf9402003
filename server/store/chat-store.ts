// ChatStore: the persistence port of the room chat (messages, like totals, moderation, nicknames). SQLite (default) and CloudBase
// implement it; test/store/chat-store-contract.ts holds the suite every implementation must pass.

/** A message as stored: epoch milliseconds; the author's nickname as it was when sent. */
export interface MessageRecord {
  /** time-sortable: a newer message of the room has a greater id (see server/chat/message-ids.ts) */
  id: string;
  roomId: string;
  userId: string;
  nickname: string;
  text: string;
  at: number;
}

export interface MessagePageQuery {
  /** only messages with an id strictly less than this one (older) */
  before?: string;
  limit: number;
}

/** The room's chat settings as stored (typings/chat.ts ChatSettings). */
export interface ChatSettingsRecord { slowModeS: number; closed: boolean }

/** What holds one user back in one room, read in one call before every message. */
export interface Restrictions {
  /** epoch ms the user's mute in this room lasts until; null when never muted (a past time: expired) */
  mutedUntil: number | null;
  /** banned from this room */
  roomBan: boolean;
  /** banned everywhere by the admin */
  userBan: boolean;
}

export interface UserBanRecord { userId: string; at: number }

export interface ChatStore {
  addMessage(message: MessageRecord): Promise<void>;
  /** Newest first (id descending), at most `limit`. */
  listMessages(roomId: string, query: MessagePageQuery): Promise<MessageRecord[]>;
  /** Removes one message of the room; false when there was none. */
  deleteMessage(roomId: string, id: string): Promise<boolean>;
  /** Adds `count` likes to the room's total atomically (several nodes at once) and resolves the new total. */
  addLikes(roomId: string, count: number): Promise<number>;
  /** The room's like total (0 when none). */
  likes(roomId: string): Promise<number>;
  /** Mutes `userId` in the room until `until` (epoch ms), replacing an earlier mute. */
  setMute(roomId: string, userId: string, until: number): Promise<void>;
  /** Bans `userId` from the room (again: no change). */
  addRoomBan(roomId: string, userId: string, at: number): Promise<void>;
  restrictions(roomId: string, userId: string): Promise<Restrictions>;
  setSettings(roomId: string, settings: ChatSettingsRecord): Promise<void>;
  /** null when never set (the defaults apply) */
  settings(roomId: string): Promise<ChatSettingsRecord | null>;
  /** Bans the user everywhere (again: keeps the first time). */
  banUser(userId: string, at: number): Promise<void>;
  /** false when the user was not banned */
  unbanUser(userId: string): Promise<boolean>;
  isUserBanned(userId: string): Promise<boolean>;
  /** every globally banned user, newest ban first */
  bannedUsers(): Promise<UserBanRecord[]>;
  setNickname(userId: string, nickname: string): Promise<void>;
  /** null when the user never set one */
  nickname(userId: string): Promise<string | null>;
  /** Forgets the room's messages, like total, mutes, bans and settings (its room was deleted). */
  deleteRoom(roomId: string): Promise<void>;
  close(): Promise<void>;
}
