// Shared pieces of the RoomService tests: a real SQLite store on a temp file (so a second node can open the
// same data), a hand-driven clock, the shipped signed-URL builder, and a recorder of the service's events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignedMediaUrls } from '../../server/media/signed-media-urls';
import type { ViewerCounter } from '../../server/rooms/ports';
import { RoomService, type RoomServiceOptions } from '../../server/rooms/room-service';
import type { RoomRecord, RoomStore } from '../../server/store/room-store';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';

export const SECRET = 'a-signing-secret-of-at-least-32-characters!';
export const BASES = { http: 'http://media.test:8080', rtmp: 'rtmp://media.test:1935/live' };
export const GRACE_MS = 10_000;
export const PUSH_TTL_S = 600;
export const PLAY_TTL_S = 90;
/** a start time with a fractional second, so rounding of expiries shows */
export const T0 = 1_750_000_000_250;

/** The clock the service reads: moves only when the test says so. */
export class Clock {
  constructor(public ms = T0) {}
  readonly now = (): number => this.ms;
  advance(ms: number): number {
    this.ms += ms;
    return this.ms;
  }
}

/** Viewer counts set by the test, for showing rooms (the plane that counts real viewers is tested with the media server). */
export class Viewers implements ViewerCounter {
  readonly counts = new Map<string, number>();
  viewers(roomId: string): number {
    return this.counts.get(roomId) ?? 0;
  }
}

export interface Node {
  service: RoomService;
  store: RoomStore;
  events: Array<[kind: string, ...args: unknown[]]>;
  /** the records the `ended` events carried */
  endedRecords: RoomRecord[];
}

/** One database file, and the service nodes (each with its own store connection) that share it. */
export class Cluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'wxlive-rooms-'));
  readonly file = join(this.dir, 'wxlive.db');
  readonly clock = new Clock();
  readonly viewers = new Viewers();
  private readonly stores: RoomStore[] = [];

  /** A RoomService over a new connection to the shared file; `wrap` may put an interleaving point on its store. */
  node(over: Partial<RoomServiceOptions> = {}, wrap: (s: RoomStore) => RoomStore = (s) => s): Node {
    const raw = new SqliteRoomStore(this.file);
    this.stores.push(raw);
    const store = wrap(raw);
    const service = new RoomService({
      store, urls: new SignedMediaUrls(SECRET, true),
      pushTtlS: PUSH_TTL_S, playTtlS: PLAY_TTL_S, graceMs: GRACE_MS, now: this.clock.now, ...over,
    });
    const events: Node['events'] = [];
    service.events.on('live', (room, resumed) => events.push(['live', room.id, resumed]));
    service.events.on('publisherGone', (room) => events.push(['publisherGone', room.id]));
    const endedRecords: RoomRecord[] = [];
    service.events.on('ended', (room) => { events.push(['ended', room.id]); endedRecords.push(room); });
    service.events.on('deleted', (id) => events.push(['deleted', id]));
    return { service, store, events, endedRecords };
  }

  async close(): Promise<void> {
    for (const s of this.stores) await s.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The real store, with `hook` run once after `method` has read the database and before the caller gets the
 * result: the window in which another node may write. Every call still goes to the real store.
 */
export function pauseAfter<K extends 'get' | 'list' | 'listDisconnected' | 'listIdleIssuedBefore'>(method: K, hook: () => Promise<void>) {
  return (store: RoomStore): RoomStore => {
    let armed = true;
    return new Proxy(store, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        if (key !== method) return value.bind(target);
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (armed) {
            armed = false;
            await hook();
          }
          return result;
        };
      },
    });
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { kind?: string; code?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

export type { RoomRecord };
