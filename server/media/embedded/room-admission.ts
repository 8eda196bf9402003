// Which rooms media requests may open, answered from this process's memory: kept current by the room
// lifecycle events (live, publisher gone, ended, deleted), so a segment or playlist request costs no store
// read and a room that ends stops serving at once. A room not seen yet (after a restart, or one another API
// node changed) costs one store read, shared by the requests that wait for it; what the store said is asked
// again after a few seconds (in the background: meanwhile the last answer stands), except `ended`, which is final.
import type { RoomStatus } from '../../../typings/api';
import { RoomNotFound } from '../../errors';
import type { RoomRecord } from '../../store/room-store';

export interface AdmittedRoom { id: string; status: RoomStatus; broadcastId: string | null }

export interface RoomAdmissionOptions {
  find(id: string): Promise<RoomRecord | null>;
  /** rooms remembered (the oldest is forgotten first) */
  maxRooms?: number;
  /** a store answer is asked again after this long */
  refreshMs?: number;
  now?: () => number;
}

/** `seq` orders what was learnt: an event newer than a store read's start wins over its answer */
interface Known { room: AdmittedRoom; at: number; seq: number }

const MAX_ROOMS = 10_000;
const REFRESH_MS = 5_000;

export class RoomAdmission {
  private readonly known = new Map<string, Known>();
  private readonly reading = new Map<string, Promise<AdmittedRoom | null>>();
  private readonly now: () => number;
  private seq = 0;

  constructor(private readonly o: RoomAdmissionOptions) {
    this.now = o.now ?? Date.now;
  }

  /** A lifecycle event (or a store read) says what the room is now. */
  learn(room: Pick<RoomRecord, 'id' | 'status' | 'broadcastId'>): void {
    this.known.delete(room.id); // re-inserted last: the map's order is the forgetting order
    this.known.set(room.id, { room: { id: room.id, status: room.status, broadcastId: room.broadcastId }, at: this.now(), seq: ++this.seq });
    if (this.known.size > (this.o.maxRooms ?? MAX_ROOMS)) this.known.delete(this.known.keys().next().value!);
  }

  /** The room is gone (deleted). */
  forget(id: string): void {
    this.known.delete(id);
  }

  /** The room if this process knows it, without waiting: what every request after a room's first one is answered from. */
  peek(id: string): AdmittedRoom | undefined {
    const k = this.known.get(id);
    if (!k) return undefined;
    if (k.room.status !== 'ended' && this.now() - k.at >= (this.o.refreshMs ?? REFRESH_MS)) void this.read(id).catch(() => undefined);
    return k.room;
  }

  /** The room as this process knows it; RoomNotFound when the store has none. */
  async room(id: string): Promise<AdmittedRoom> {
    const known = this.peek(id);
    if (known) return known;
    const room = await this.read(id);
    if (!room) throw new RoomNotFound(id);
    return room;
  }

  private read(id: string): Promise<AdmittedRoom | null> {
    let p = this.reading.get(id);
    if (!p) {
      const asked = this.seq;
      p = this.o.find(id).then((r) => {
        // an event that came while the store was asked is newer than its answer
        const k = this.known.get(id);
        if (k && k.seq > asked) return k.room;
        if (!r) {
          this.forget(id);
          return null;
        }
        this.learn(r);
        return this.known.get(id)!.room;
      }).finally(() => this.reading.delete(id));
      this.reading.set(id, p);
    }
    return p;
  }
}
