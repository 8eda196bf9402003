// Part of the RoomStore contract: cursors a client tampered with, through the RoomService that decodes them and
// the store that pages from the decoded position. Every cursor either gives the page a correct keyset store
// gives for that position (newest first, strictly after it, only rooms of the asked status) or a 400
// invalid_cursor; never a crash, a 5xx, or a room from outside the filter.
import type { RoomStatus } from '../../typings/api';
import { InvalidInput } from '../../server/errors';
import { SignedMediaUrls } from '../../server/media/signed-media-urls';
import { encodeCursor } from '../../server/rooms/cursor';
import { RoomService } from '../../server/rooms/room-service';
import type { ListPosition, RoomRecord, RoomStore } from '../../server/store/room-store';

const T = 1_950_000_000_000;
const b64 = (s: string) => Buffer.from(s).toString('base64url');

/** newest first, ties on createdAt broken by id, both descending (room ids are ASCII, so this is byte order) */
const newestFirst = (rooms: RoomRecord[]) =>
  [...rooms].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
const after = (p: ListPosition) => (r: RoomRecord) => r.createdAt < p.createdAt || (r.createdAt === p.createdAt && r.id < p.id);

/** Rooms of every status, several sharing a createdAt, with ids chosen so forged ids can fall between them. */
function fixture(): RoomRecord[] {
  const statuses: RoomStatus[] = ['idle', 'live', 'ended'];
  return ['A', 'C', 'E', 'G', 'J', 'L', 'N', 'Q', 'S', 'U', 'W', 'Y'].map((letter, i) => ({
    id: `${letter}cursor00000${i % 10}`.slice(0, 12), title: `r${i}`, cover: null, hostId: 'h', status: statuses[i % 3]!,
    createdAt: T + 10 * Math.floor(i / 3), startedAt: i % 3 ? T : null, endedAt: i % 3 === 2 ? T : null,
    broadcastId: i % 3 ? `b${String(i).padStart(9, '0')}` : null, disconnectedAt: null, pushGeneration: 0, pushIssuedAt: T,
  }));
}

export function describeCursorTampering(getStore: () => RoomStore): void {
  describe('tampered cursors (through RoomService)', () => {
    let rooms: RoomRecord[];
    let service: RoomService;
    beforeEach(async () => {
      rooms = fixture();
      for (const r of rooms) await getStore().insert(r);
      service = new RoomService({
        store: getStore(), urls: new SignedMediaUrls('s'.repeat(32), true), pushTtlS: 60, playTtlS: 60, graceMs: 1000,
      });
    });

    /** the page a correct store gives: rooms of `status` strictly after `p`, newest first */
    const expected = (p: ListPosition, status?: RoomStatus, limit = 100) =>
      newestFirst(rooms.filter((r) => (!status || r.status === status) && after(p)(r))).slice(0, limit).map((r) => r.id);

    async function page(cursor: string, status?: RoomStatus, limit = 100): Promise<string[]> {
      const res = await service.list({ status, limit, cursor });
      for (const r of res.rooms) if (status) expect(r.status).toBe(status);
      return res.rooms.map((r) => r.id);
    }

    test('a well-formed position that was never issued pages from where it points', async () => {
      const forged: ListPosition[] = [
        { createdAt: T + 15, id: 'Zzzzzzzzzzzz' }, // between two createdAt groups
        { createdAt: T + 10, id: 'H' }, // inside a group, between two ids (G… and J…)
        { createdAt: T + 10, id: 'Jcursor00003' }, // a real room's createdAt with an id no room has there
        { createdAt: T + 30, id: rooms[0]!.id }, // a real id paired with another room's time
        { createdAt: T + 20, id: rooms[7]!.id }, // exactly a real row that was never a page end
      ];
      for (const p of forged) {
        for (const status of [undefined, 'idle', 'live', 'ended'] as const) {
          expect([p, status, await page(encodeCursor(p), status)]).toEqual([p, status, expected(p, status)]);
        }
      }
      // forged pages chain on: the cursor they return is a real position again
      const first = await service.list({ limit: 2, cursor: encodeCursor(forged[1]!) });
      const rest = await page(first.nextCursor!);
      expect([...first.rooms.map((r) => r.id), ...rest]).toEqual(expected(forged[1]!));
    });

    test('a cursor issued under one status filter and reused under another never leaks the first filter', async () => {
      const idlePage = await service.list({ status: 'idle', limit: 2 });
      const anyPage = await service.list({ limit: 5 });
      const pos = (c: string) => JSON.parse(Buffer.from(c, 'base64url').toString()) as [number, string];
      const fromIdle = { createdAt: pos(idlePage.nextCursor!)[0], id: pos(idlePage.nextCursor!)[1] };
      const fromAny = { createdAt: pos(anyPage.nextCursor!)[0], id: pos(anyPage.nextCursor!)[1] };
      for (const status of ['live', 'ended'] as const) {
        expect(await page(idlePage.nextCursor!, status)).toEqual(expected(fromIdle, status));
        expect(await page(anyPage.nextCursor!, status)).toEqual(expected(fromAny, status));
      }
      expect(await page(idlePage.nextCursor!)).toEqual(expected(fromIdle));
      expect((await page(idlePage.nextCursor!, 'live')).length).toBeGreaterThan(0); // the check above was not vacuous
    });

    test('extreme but well-formed positions: a correct (possibly empty) page', async () => {
      const all = newestFirst(rooms).map((r) => r.id);
      const cases: Array<[ListPosition, string[]]> = [
        [{ createdAt: Number.MAX_SAFE_INTEGER, id: '' }, all], // after the end of time: everything
        [{ createdAt: -Number.MAX_SAFE_INTEGER, id: 'z' }, []], // before the epoch: nothing
        [{ createdAt: 0, id: '' }, []],
        [{ createdAt: T + 10, id: '' }, expected({ createdAt: T + 10, id: '' })], // empty id: none of that millisecond
        [{ createdAt: T + 10, id: 'z'.repeat(120) }, expected({ createdAt: T + 10, id: 'z'.repeat(120) })], // long id
        [{ createdAt: T + 10, id: '中文\u{1F600}' }, expected({ createdAt: T + 10, id: '\u{ffff}' })], // above every ASCII id
        [{ createdAt: T + 10, id: "' OR 1=1 --" }, expected({ createdAt: T + 10, id: "' OR 1=1 --" })],
        [{ createdAt: T + 10, id: '{"$gt":""}' }, expected({ createdAt: T + 10, id: '{"$gt":""}' })],
      ];
      for (const [p, want] of cases) {
        const res = await service.list({ limit: 100, cursor: encodeCursor(p) });
        expect([p, res.rooms.map((r) => r.id), res.nextCursor]).toEqual([p, want, null]);
        const live = await page(encodeCursor(p), 'live');
        expect([p, live]).toEqual([p, want.filter((id) => rooms.find((r) => r.id === id)!.status === 'live')]);
      }
    });

    test('malformed cursors are a 400 invalid_cursor before the store is asked', async () => {
      const bad = [
        'not*base64', `${encodeCursor({ createdAt: T, id: 'x' })}==`, Buffer.from('[1,"a?>"]').toString('base64'),
        b64('[1e300,"a"]'), b64('[-9007199254740993,"a"]'), b64('[1.5,"a"]'), b64('["1950000000000","a"]'), b64('[1,{"$gt":""}]'),
        b64('[1,"a",2]'), b64('{"createdAt":1,"id":"a"}'), b64('[1,"a"'), b64(JSON.stringify([1, 'x'.repeat(200)])), 'A'.repeat(10_000),
      ];
      for (const cursor of bad) {
        const e = await service.list({ limit: 10, cursor }).then(() => null, (err: unknown) => err);
        expect([cursor, e instanceof InvalidInput, (e as InvalidInput | null)?.code]).toEqual([cursor, true, 'invalid_cursor']);
      }
      // the store still answers normally afterwards
      expect((await service.list({ limit: 100 })).rooms).toHaveLength(rooms.length);
    });
  });
}
