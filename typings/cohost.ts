// The co-hosting contract (连麦, issue 15): up to COHOST_MAX_GUESTS signed-in viewers publish beside the host,
// each on its own slot of the room. Frames travel on the room socket (typings/chat.ts), REST below.
// Keep this file free of runtime imports so every client can `import type` it.
import type { ChatUser } from './chat';
import type { PushTicket } from './api';

export type GuestSlot = 'g1' | 'g2' | 'g3';
export const GUEST_SLOTS: readonly GuestSlot[] = ['g1', 'g2', 'g3'];
/** default of COHOST_MAX_GUESTS (1–3) */
export const COHOST_MAX_GUESTS = 3;
/** a request nobody answered is dropped after this long */
export const COHOST_REQUEST_TTL_S = 120;

/** An accepted guest: publishes to `rtmp://host:1935/live/<roomId>~<slot>`. */
export interface CohostGuest { slot: GuestSlot; user: ChatUser }
/** A viewer asking to join the host; `at` is ISO-8601. */
export interface CohostRequest { user: ChatUser; at: string }

// ---- server → client (room socket) ----

/** To everyone in the room whenever the line-up changes (and in every hello, after it). */
export interface CohostsFrame { type: 'cohosts'; guests: CohostGuest[] }
/** To the host's (and admin's) sockets only: the pending requests, oldest first, whenever they change. */
export interface CohostRequestsFrame { type: 'cohost_requests'; requests: CohostRequest[] }
/** To the requester's sockets only: the host (or admin) declined its request, or it expired unanswered (COHOST_REQUEST_TTL_S). */
export type CohostDeclineReason = 'declined' | 'expired';
export interface CohostDeclinedFrame { type: 'cohost_declined'; reason: CohostDeclineReason }

// ---- client → server (room socket, signed-in users only) ----

/** Ask to join the host; answered by a `notice` (`cohost_requested`, `cohost_full`, …). */
export interface CohostRequestFrame { type: 'cohost_request' }
/** Withdraw one's request, or leave the line-up (its publisher is disconnected). */
export interface CohostLeaveFrame { type: 'cohost_leave' }

// ---- REST ----

/** `GET /api/rooms/:id/cohosts`: the line-up for anyone; `requests` only for the host or admin (else absent). */
export interface CohostsResponse { guests: CohostGuest[]; requests?: CohostRequest[] }
/** `POST /api/rooms/:id/cohosts {userId}` (host or admin) accepts a pending request: 409 `cohost_full`, 404 `cohost_request_not_found`. */
export interface CohostAcceptRequest { userId: string }
/** `DELETE /api/rooms/:id/cohosts/:userId`: the host or admin declines or removes; a user may remove itself. Answers CohostsResponse. */
/** `POST /api/rooms/:id/cohosts/push` (the accepted guest; 403 `not_cohost` otherwise): its own push ticket. */
export interface CohostPushResponse { push: PushTicket; slot: GuestSlot }

/** In `GET /api/rooms/:id/play` under `guests`: each guest's signed play URLs (append `&latency=low` to `flv` for the co-hosts' own low-latency path). */
export interface GuestPlayUrls { slot: GuestSlot; user: ChatUser; flv: string; rtmp: string; hls: string }
