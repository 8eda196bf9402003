// What the co-hosting domain announces to every API node's sockets (carried by the chat's RoomBus, which
// includes these in its events): the line-up, to everyone; the pending requests, to the host's sockets; a declined
// or expired request, to its requester's.
import type { CohostDeclineReason, CohostGuest, CohostRequest } from '../../../typings/cohost';

export type CohostAnnouncement =
  | { kind: 'cohosts'; guests: CohostGuest[] }
  | { kind: 'cohost_requests'; requests: CohostRequest[] }
  /** to the requester's sockets only */
  | { kind: 'cohost_declined'; userId: string; reason: CohostDeclineReason };

/** The RoomBus fits. */
export interface CohostAnnouncer {
  publish(roomId: string, event: CohostAnnouncement): Promise<void>;
}
