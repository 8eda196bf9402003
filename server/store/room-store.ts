// RoomStore: the persistence port. SQLite (default) and CloudBase implement it; test/store/store-contract.ts
// holds the suite every implementation must pass.
import type { RoomStatus } from '../../typings/api';

/** A room as stored: epoch milliseconds, no derived fields. */
export interface RoomRecord {
  id: string;
  title: string;
  cover: string | null;
  hostId: string;
  status: RoomStatus;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** id of the current (or last) broadcast: names its HLS/replay folder */
  broadcastId: string | null;
  /** when the publisher dropped while live; null while one is connected (drives the reconnect grace) */
  disconnectedAt: number | null;
}

/** Position after which the next page starts, newest first: (createdAt desc, id desc). */
export interface ListPosition { createdAt: number; id: string }

export interface ListQuery {
  status?: RoomStatus;
  limit: number;
  after?: ListPosition;
}

/** Fields a transition may set besides `status`. */
export type RoomPatch = Partial<Pick<RoomRecord, 'startedAt' | 'endedAt' | 'broadcastId' | 'disconnectedAt'>>;

export interface RoomStore {
  insert(room: RoomRecord): Promise<void>;
  get(id: string): Promise<RoomRecord | null>;
  /** Newest first, at most `limit` rooms strictly after `after`. */
  list(query: ListQuery): Promise<RoomRecord[]>;
  count(status: RoomStatus): Promise<number>;
  /**
   * Conditional update, atomic against concurrent writers (other processes included):
   * applies `patch` (and `status` when given) only if the room's status is one of `from`
   * and, when `expect` is given, each of its fields still holds the expected value.
   * Returns the updated room, or null if the condition did not hold (or the room does not exist).
   */
  update(id: string, from: readonly RoomStatus[], patch: RoomPatch & { status?: RoomStatus },
    expect?: Partial<Pick<RoomRecord, 'disconnectedAt' | 'broadcastId'>>): Promise<RoomRecord | null>;
  /** Live rooms whose publisher dropped at or before `before` (epoch ms). */
  listDisconnected(before: number): Promise<RoomRecord[]>;
  delete(id: string): Promise<boolean>;
  close(): Promise<void>;
}
