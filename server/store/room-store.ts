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
  /** counts the push tickets issued: only a ticket signed with the current one may publish (revocation) */
  pushGeneration: number;
  /** when the newest push ticket was issued (creation until then): an idle room expires with that ticket */
  pushIssuedAt: number;
}

/** Position after which the next page starts, newest first: (createdAt desc, id desc). */
export interface ListPosition { createdAt: number; id: string }

export interface ListQuery {
  status?: RoomStatus;
  limit: number;
  after?: ListPosition;
}

/** Fields a transition may set besides `status` (and the cover, set by an upload). */
export type RoomPatch = Partial<Pick<RoomRecord, 'startedAt' | 'endedAt' | 'broadcastId' | 'disconnectedAt' | 'cover'>>;

/** Fields a conditional update may expect to still hold. */
export type RoomExpect = Partial<Pick<RoomRecord, 'disconnectedAt' | 'broadcastId' | 'pushIssuedAt'>>;

export interface RoomStore {
  /**
   * Stores a new room. With `maxOpenPerHost`, only while its host has fewer open (idle or live) rooms;
   * resolves false (nothing stored) when the host is at that cap.
   */
  insert(room: RoomRecord, opts?: { maxOpenPerHost?: number }): Promise<boolean>;
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
    expect?: RoomExpect): Promise<RoomRecord | null>;
  /**
   * A new push ticket for an idle or live room: pushGeneration + 1 (atomically, so two nodes issuing at once
   * get two generations) and pushIssuedAt = `at`. Null when the room is ended or unknown.
   */
  issuePushTicket(id: string, at: number): Promise<RoomRecord | null>;
  /** Live rooms whose publisher dropped at or before `before` (epoch ms). */
  listDisconnected(before: number): Promise<RoomRecord[]>;
  /** Idle rooms whose newest push ticket was issued at or before `before` (epoch ms), oldest first, at most `limit`. */
  listIdleIssuedBefore(before: number, limit: number): Promise<RoomRecord[]>;
  /**
   * One-time keys shared by every node (e.g. a callback's signature): stores `key` with `value` until
   * `expiresAt` (epoch ms) and resolves null, or, when the key is already stored, the value stored first.
   * Expired keys are forgotten.
   */
  claimOnce(key: string, value: string, expiresAt: number): Promise<string | null>;
  delete(id: string): Promise<boolean>;
  close(): Promise<void>;
}
