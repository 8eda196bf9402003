// ChatStore: the persistence port of the room chat (messages, like totals). SQLite (default) and CloudBase
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
  /** Forgets the room's messages and like total (its room was deleted). */
  deleteRoom(roomId: string): Promise<void>;
  close(): Promise<void>;
}
