// CohostStore: the persistence port of co-hosting (issue 15): pending requests and the line-up of each room,
// kept in the database so every API node sees the same. SQLite (default) and CloudBase implement it;
// test/store/cohost-store-contract.ts holds the suite every implementation must pass.
import type { GuestSlot } from '../../typings/cohost';

/** A viewer asking to join the host; `at` is epoch ms. */
export interface CohostRequestRecord { roomId: string; userId: string; nickname: string; at: number }

/** An accepted guest on its slot. `generation` differs per acceptance, so a ticket dies with its acceptance. */
export interface CohostGuestRecord {
  roomId: string;
  slot: GuestSlot;
  userId: string;
  nickname: string;
  generation: number;
  acceptedAt: number;
}

export interface CohostStore {
  /** Adds a pending request, replacing one older than `staleBefore`; false when a fresh one was there already. */
  addRequest(request: CohostRequestRecord, staleBefore: number): Promise<boolean>;
  /** The room's requests made at or after `since`, oldest first. */
  requests(roomId: string, since: number): Promise<CohostRequestRecord[]>;
  /**
   * Removes the user's request and resolves it when it was fresh (made at or after `since`); null otherwise.
   * Of two nodes taking the same request at once, only one gets it.
   */
  takeRequest(roomId: string, userId: string, since: number): Promise<CohostRequestRecord | null>;
  /** Puts the guest on its slot: false when that slot (or the user, on another slot) is taken already. */
  addGuest(guest: CohostGuestRecord): Promise<boolean>;
  /** The room's line-up in slot order. */
  guests(roomId: string): Promise<CohostGuestRecord[]>;
  /** Takes the user off the line-up; null when not on it. */
  removeGuest(roomId: string, userId: string): Promise<CohostGuestRecord | null>;
  /** Forgets the room's requests and line-up (the room ended or was deleted). */
  deleteRoom(roomId: string): Promise<void>;
  close(): Promise<void>;
}
