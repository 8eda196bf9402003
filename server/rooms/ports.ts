// What the room domain needs from the outside, declared here so media providers plug in without Koa or NMS.
import type { PlayUrls, PushTicket } from '../../typings/api';
import type { GuestPlayUrls, GuestSlot } from '../../typings/cohost';

/** Public bases for issued URLs: from config, or derived from the request that asked. */
export interface UrlBases { http: string; rtmp: string }

/** Builds signed media URLs (embedded server or a CDN-class live service). */
export interface MediaUrls {
  /** `generation`: the room's push ticket generation, signed in where the media server can check it */
  push(roomId: string, expiresAtS: number, bases: UrlBases, generation: number): PushTicket;
  play(roomId: string, expiresAtS: number, bases: UrlBases): PlayUrls;
  /** The recording of a broadcast, or null where none is kept. */
  replay(roomId: string, broadcastId: string, bases: UrlBases): string | null;
  /**
   * Co-hosting (issue 15): a guest's push ticket for one slot, signed with the user and its acceptance
   * `generation`. Left out where co-hosting is not offered (the push route answers 501).
   */
  guestPush?(roomId: string, slot: GuestSlot, userId: string, expiresAtS: number, bases: UrlBases, generation: number): PushTicket;
  /** A guest slot's play URLs, signed with the room's play signature. */
  guestPlay?(roomId: string, slot: GuestSlot, expiresAtS: number, bases: UrlBases): Pick<GuestPlayUrls, 'flv' | 'rtmp' | 'hls'>;
}

/** Live viewer counts per room, from whatever serves the viewers. */
export interface ViewerCounter {
  viewers(roomId: string): number;
}

export const NO_VIEWERS: ViewerCounter = { viewers: () => 0 };

/** Who is acting on a room: a signed-in user, or the admin. */
export type Actor = { kind: 'user'; userId: string } | { kind: 'admin' };
