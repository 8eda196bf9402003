// What the chat domain needs from the outside, declared here so the socket library, the room service and
// the session signing plug in without the domain importing them.
import type { EventEmitter } from 'node:events';
import type { ChatUser } from '../../typings/chat';
import type { CohostGuest, CohostRequest } from '../../typings/cohost';
import type { CohostOutcome } from '../rooms/cohosts/cohost-service';
import type { RoomEvents } from '../rooms/room-service';
import type { RoomRecord } from '../store/room-store';

/** One connected socket, as the chat sees it. */
export interface ChatClient {
  /** one serialized ServerFrame (serialized once per event, shared by every socket of the room) */
  send(json: string): void;
  /** close with a code of typings/chat.ts (CLOSE_*) */
  close(code: number, reason: string): void;
}

/** The rooms: looked up when a socket joins, and their lifecycle events (RoomService fits). */
export interface ChatRooms {
  find(id: string): Promise<RoomRecord | null>;
  readonly events: EventEmitter<RoomEvents>;
}

/** Session tokens → users (LoginService fits). */
export interface SessionVerifier {
  verify(token: string): { id: string; nickname?: string; openid?: string } | null;
}

/** Co-hosting as the room socket sees it (CohostService fits): the frames ask, the line-up greets. */
export interface ChatCohosts {
  request(roomId: string, user: ChatUser): Promise<CohostOutcome>;
  leave(roomId: string, userId: string): Promise<CohostOutcome>;
  lineup(roomId: string): Promise<CohostGuest[]>;
  pending(roomId: string): Promise<CohostRequest[]>;
}
