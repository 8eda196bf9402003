// The port the media plane calls to admit a co-host's publisher (issue 15): the signature of a guest push URL
// (sync, before any packet), then the line-up (async: the room is live and the user holds the slot under that
// acceptance), and the slots vacated since, whose publishers the media disconnects.
import type { CohostGuest, GuestSlot } from '../../../typings/cohost';

export interface GuestPublishCheck {
  /** sync: signature of a guest push URL; null = ok, else a refusal reason ('bad_signature', 'expired', …) */
  verify(roomId: string, slot: GuestSlot, query: Record<string, string | string[] | undefined>): string | null;
  /** async: the room is live and the query's user holds that slot under that generation right now */
  admit(roomId: string, slot: GuestSlot, query: Record<string, string | string[] | undefined>): Promise<string | null>;
  /** the slots of a room whose holder changed or left (removal, leave, room end): the media disconnects them */
  onSlotsVacated(listener: (roomId: string, slots: GuestSlot[]) => void): void;
  /** current holders (for a periodic re-check on nodes that missed an event) */
  lineup(roomId: string): Promise<CohostGuest[]>;
}
