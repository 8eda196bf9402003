// RoomBus: how room events reach every API node's sockets. In-process here; a Redis implementation (BUS=redis)
// carries the same events between nodes. Publishers never send to sockets themselves: every frame a socket
// gets came through the bus, so one node or many behave alike.
import type { RoomStatus } from '../../typings/api';
import type { ChatMessage, ChatSettings } from '../../typings/chat';
import type { CohostAnnouncement } from '../rooms/cohosts/cohost-announcement';

export type BusEvent =
  /** `from`: the sending session, whose echo carries `nonce` */
  | { kind: 'message'; message: ChatMessage; from?: string; nonce?: string }
  | { kind: 'deleted'; id: string }
  /** the room's like total after some node added likes */
  | { kind: 'likes'; total: number }
  | { kind: 'state'; status: RoomStatus }
  | { kind: 'settings'; settings: ChatSettings }
  /** the user was banned from the room (or everywhere): their sockets in it are closed with CLOSE_BANNED */
  | { kind: 'banned'; userId: string }
  /** the room was deleted */
  | { kind: 'gone' }
  /** co-hosting (issue 15): the line-up (to everyone), the pending requests (to the host's sockets) */
  | CohostAnnouncement;

export type BusHandler = (event: BusEvent) => void;

export interface RoomBus {
  publish(roomId: string, event: BusEvent): Promise<void>;
  /** Calls `handler` with every event of the room from now on; returns the unsubscribe. */
  subscribe(roomId: string, handler: BusHandler): () => void;
  close(): Promise<void>;
}

/** One process: events go straight to this node's subscribers, in publish order. */
export class InProcessRoomBus implements RoomBus {
  private readonly rooms = new Map<string, Set<BusHandler>>();

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  async publish(roomId: string, event: BusEvent): Promise<void> {
    for (const handler of [...(this.rooms.get(roomId) ?? [])]) {
      try {
        handler(event);
      } catch (err) {
        this.onError(err); // one bad subscriber must not keep the event from the others
      }
    }
  }

  subscribe(roomId: string, handler: BusHandler): () => void {
    let set = this.rooms.get(roomId);
    if (!set) this.rooms.set(roomId, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.rooms.get(roomId) === set) this.rooms.delete(roomId);
    };
  }

  /** rooms with at least one subscriber (memory held) */
  get size(): number {
    return this.rooms.size;
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }
}
