// What the embedded plane asks of co-hosting (issue 15) about a guest's publish: the rooms side answers
// (server/rooms/cohosts/guest-publish.ts). Declared here, as the few methods the media needs.
import type { CohostGuest, GuestSlot } from '../../../typings/cohost';

export type StreamQuery = Record<string, string | string[] | undefined>;

export interface GuestPublishCheck {
  /** Synchronous: the guest ticket's signature for this room and slot; a refusal reason, or null. */
  verify(roomId: string, slot: GuestSlot, query: StreamQuery): string | null;
  /** Asynchronous: the ticket's user is the slot's accepted guest of a live room now; a refusal reason, or null. */
  admit(roomId: string, slot: GuestSlot, query: StreamQuery): Promise<string | null>;
  /** Told when guests leave the line-up (removed, left, room ended) on any node. */
  onSlotsVacated(listener: (roomId: string, slots: GuestSlot[]) => void): void;
  /** The room's line-up as the store has it now. */
  lineup(roomId: string): Promise<CohostGuest[]>;
}
