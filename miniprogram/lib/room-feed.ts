// The home list as a pure state machine: live rooms first, then upcoming, then ended ones, each paged
// with the API cursor. The page asks `nextQuery()`, calls the API, and hands the answer to `accept()`.
import type { Room, RoomListResponse, RoomStatus } from '../../typings/api';

export const FEED_PHASES: readonly RoomStatus[] = ['live', 'idle', 'ended'];

export interface FeedQuery {
  status: RoomStatus;
  limit: number;
  cursor?: string;
}

export class RoomFeed {
  private phase = 0;
  private cursor: string | null = null;
  private list: Room[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly pageSize = 20, private readonly phases: readonly RoomStatus[] = FEED_PHASES) {}

  get rooms(): readonly Room[] { return this.list; }
  get done(): boolean { return this.phase >= this.phases.length; }
  get empty(): boolean { return this.done && this.list.length === 0; }

  /** The request for the next page, or null when every phase is exhausted. */
  nextQuery(): FeedQuery | null {
    if (this.done) return null;
    const q: FeedQuery = { status: this.phases[this.phase], limit: this.pageSize };
    if (this.cursor) q.cursor = this.cursor;
    return q;
  }

  /** Adds one page (answer to `query`); a stale answer for another phase/cursor is ignored. */
  accept(query: FeedQuery, page: RoomListResponse): boolean {
    const current = this.nextQuery();
    if (!current || current.status !== query.status || current.cursor !== query.cursor) return false;
    for (const room of page.rooms) {
      // a room can move between phases while we page (idle → live): show it once
      if (this.seen.has(room.id)) continue;
      this.seen.add(room.id);
      this.list.push(room);
    }
    if (page.nextCursor) this.cursor = page.nextCursor;
    else {
      this.phase += 1;
      this.cursor = null;
    }
    return true;
  }

  /** Pull-down refresh: start over. */
  reset(): void {
    this.phase = 0;
    this.cursor = null;
    this.list = [];
    this.seen.clear();
  }
}
