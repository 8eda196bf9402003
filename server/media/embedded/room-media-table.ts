// The rooms this process holds media for, each a RoomMedia made on first use and dropped once nothing is left
// of it, so the stats list no phantom stream and memory stays bounded.
import type { RtmpIngest } from '../rtmp/rtmp-ingest';
import { RoomMedia, type RoomMediaOptions } from './room-media';

/** What the RTMP side says about a room (its publisher and players are not RoomMedia's). */
export interface RtmpPresence {
  publisher(roomId: string): unknown;
  rtmpViewers(roomId: string): number;
}

/** What the RTMP ingest tells of a room as a whole: its main stream and its co-host guests' (caps and stats are per room). */
export function roomPresence(ingest: Pick<RtmpIngest, 'publisher' | 'roomRtmpViewers' | 'roomBytesOut'>): Pick<RtmpIngest, 'publisher' | 'rtmpViewers' | 'bytesOut'> {
  return {
    publisher: (roomId) => ingest.publisher(roomId),
    rtmpViewers: (roomId) => ingest.roomRtmpViewers(roomId),
    bytesOut: (roomId) => ingest.roomBytesOut(roomId),
  };
}

export class RoomMediaTable {
  private readonly rooms = new Map<string, RoomMedia>();

  constructor(private readonly o: RoomMediaOptions, private readonly rtmp: RtmpPresence) {}

  /** The room's media, made on first use. */
  get(roomId: string): RoomMedia {
    let m = this.rooms.get(roomId);
    if (!m) this.rooms.set(roomId, (m = new RoomMedia(roomId, this.o)));
    return m;
  }

  /** The room's media if this process holds any. */
  find(roomId: string): RoomMedia | undefined {
    return this.rooms.get(roomId);
  }

  delete(roomId: string): void {
    this.rooms.delete(roomId);
  }

  ids(): IterableIterator<string> {
    return this.rooms.keys();
  }

  all(): IterableIterator<RoomMedia> {
    return this.rooms.values();
  }

  /**
   * Drop the media of rooms with no recorder, publisher or viewer left (e.g. a viewer waited on a room that
   * never went live, then left).
   */
  forgetIdle(now = Date.now()): void {
    for (const [id, m] of this.rooms) {
      if (!m.idle(now) || this.rtmp.publisher(id) || this.rtmp.rtmpViewers(id) > 0) continue;
      this.rooms.delete(id);
    }
  }
}
