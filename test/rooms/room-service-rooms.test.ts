// RoomService over a real SQLite store with the injected clock: creation, look-ups, listing with cursors,
// signed tickets and their expiries, ownership (403), ending and deleting (409 on illegal moves).
import { Forbidden, IllegalTransition, InvalidInput, RoomNotFound } from '../../server/errors';
import { SignedMediaUrls } from '../../server/media/signed-media-urls';
import { decodeCursor, encodeCursor } from '../../server/rooms/cursor';
import { roomView } from '../../server/rooms/room-view';
import { readSignedParams, verifyMedia } from '../../server/signing/media-signature';
import {
  BASES, Cluster, PLAY_TTL_S, PUSH_TTL_S, SECRET, T0, pauseAfter, rejection, type Node, type RoomRecord,
} from './service-kit';

let c: Cluster;
let a: Node;
const HOST = { kind: 'user', userId: 'host-1' } as const;
const OTHER = { kind: 'user', userId: 'host-2' } as const;
const ADMIN = { kind: 'admin' } as const;

beforeEach(() => {
  c = new Cluster();
  a = c.node();
});
afterEach(async () => { await c.close(); });

/** the signed expiry and validity of a URL's query */
function signedExpiry(url: string, action: 'publish' | 'play', roomId: string, nowS: number): number {
  const p = readSignedParams(Object.fromEntries(new URL(url.replace(/^rtmp:/, 'http:')).searchParams));
  expect(verifyMedia(SECRET, action, roomId, p, nowS)).toEqual({ ok: true });
  return p!.expires;
}

async function liveRoom(n: Node = a): Promise<RoomRecord> {
  const r = await n.service.create('host-1', { title: 'live one' });
  return n.service.publisherStarted(r.id);
}

describe('creating and reading rooms', () => {
  test('create stores an idle room made at the clock time, owned by the creator', async () => {
    const r = await a.service.create('host-1', { title: 'hello' });
    expect(r).toEqual({
      id: expect.stringMatching(/^[0-9A-Za-z]{12}$/), title: 'hello', cover: null, hostId: 'host-1', status: 'idle',
      createdAt: T0, startedAt: null, endedAt: null, broadcastId: null, disconnectedAt: null,
      pushGeneration: 0, pushIssuedAt: T0,
    });
    expect(await a.store.get(r.id)).toEqual(r);
    const withCover = await a.service.create('host-1', { title: 'c', cover: 'https://x/c.png' });
    expect((await a.service.get(withCover.id)).cover).toBe('https://x/c.png');
    expect(withCover.id).not.toBe(r.id);
  });

  test('get throws RoomNotFound (404) for an unknown id; find gives null', async () => {
    const e = await rejection(a.service.get('nope00000000'));
    expect(e).toBeInstanceOf(RoomNotFound);
    expect([e.kind, e.code]).toEqual(['not_found', 'room_not_found']);
    expect(await a.service.find('nope00000000')).toBeNull();
    const r = await a.service.create('host-1', { title: 'x' });
    expect(await a.service.find(r.id)).toEqual(r);
  });

  test('a room shown with the media\'s viewer counts has them only while live', async () => {
    const idle = await a.service.create('host-1', { title: 'idle' });
    const live = await liveRoom();
    c.viewers.counts.set(idle.id, 3).set(live.id, 4);
    const view = roomView(c.viewers);
    expect(view(idle).viewers).toBe(0);
    expect(view(live)).toMatchObject({ id: live.id, status: 'live', viewers: 4, startedAt: new Date(T0).toISOString() });
  });

  test('count by status', async () => {
    await a.service.create('host-1', { title: '1' });
    await liveRoom();
    await liveRoom();
    expect([await a.service.count('idle'), await a.service.count('live'), await a.service.count('ended')]).toEqual([1, 2, 0]);
  });
});

describe('listing with cursors', () => {
  async function make(n: number): Promise<RoomRecord[]> {
    const made: RoomRecord[] = [];
    for (let i = 0; i < n; i++) {
      c.clock.advance(i % 3 === 0 ? 0 : 1); // some share a millisecond: the id breaks the tie
      made.push(await a.service.create('host-1', { title: `r${i}` }));
    }
    return made.sort((x, y) => y.createdAt - x.createdAt || (x.id < y.id ? 1 : -1));
  }

  test('pages of `limit` rooms, newest first; the cursor names the last row; the last page says so', async () => {
    const all = await make(7);
    const p1 = await a.service.list({ limit: 3 });
    expect(p1.rooms.map((r) => r.id)).toEqual(all.slice(0, 3).map((r) => r.id));
    expect(decodeCursor(p1.nextCursor!)).toEqual({ createdAt: all[2]!.createdAt, id: all[2]!.id });
    const p2 = await a.service.list({ limit: 3, cursor: p1.nextCursor! });
    expect(p2.rooms.map((r) => r.id)).toEqual(all.slice(3, 6).map((r) => r.id));
    const p3 = await a.service.list({ limit: 3, cursor: p2.nextCursor! });
    expect([p3.rooms.map((r) => r.id), p3.nextCursor]).toEqual([[all[6]!.id], null]);
  });

  test('an exactly full last page has no next cursor', async () => {
    const all = await make(4);
    const p = await a.service.list({ limit: 4 });
    expect([p.rooms.length, p.nextCursor]).toEqual([4, null]);
    expect((await a.service.list({ limit: 3 })).nextCursor).toBe(encodeCursor(all[2]!));
    expect(await a.service.list({ limit: 5 })).toEqual({ rooms: all, nextCursor: null });
  });

  test('the status filter holds on every page', async () => {
    const all = await make(6);
    for (const r of all.filter((_, i) => i % 2 === 0)) await a.service.end(r.id, ADMIN);
    const ended = all.filter((_, i) => i % 2 === 0).map((r) => r.id);
    const p1 = await a.service.list({ status: 'ended', limit: 2 });
    const p2 = await a.service.list({ status: 'ended', limit: 2, cursor: p1.nextCursor! });
    expect([...p1.rooms, ...p2.rooms].map((r) => r.id)).toEqual(ended);
    expect(p2.nextCursor).toBeNull();
  });

  test('a cursor the server did not issue is a 400 invalid_cursor', async () => {
    await make(2);
    const e = await rejection(a.service.list({ limit: 1, cursor: 'bm90IGpzb24' }));
    expect(e).toBeInstanceOf(InvalidInput);
    expect([e.kind, e.code]).toEqual(['invalid', 'invalid_cursor']);
  });
});

describe('signed tickets', () => {
  test('push ticket: for the host or the admin, valid for PUSH_TTL_S from the clock, rounded up to the second', async () => {
    const r = await a.service.create('host-1', { title: 'x' });
    const t = await a.service.pushTicket(r.id, HOST, BASES);
    const expires = Math.ceil(T0 / 1000) + PUSH_TTL_S; // T0 has a fractional second
    expect(t.server).toBe(BASES.rtmp);
    expect(t.url).toBe(`${BASES.rtmp}/${t.streamKey}`);
    expect(t.streamKey.startsWith(`${r.id}?`)).toBe(true);
    expect(signedExpiry(t.url, 'publish', r.id, T0 / 1000)).toBe(expires);
    expect(t.expiresAt).toBe(new Date(expires * 1000).toISOString());
    c.clock.advance(5000);
    expect((await a.service.pushTicket(r.id, ADMIN, BASES)).expiresAt).toBe(new Date((expires + 5) * 1000).toISOString());
  });

  test('push ticket: another user is refused (403 not_room_host); an ended room is 409; an unknown one 404', async () => {
    const r = await a.service.create('host-1', { title: 'x' });
    const e = await rejection(a.service.pushTicket(r.id, OTHER, BASES));
    expect(e).toBeInstanceOf(Forbidden);
    expect([e.kind, e.code, e.message]).toEqual(['forbidden', 'not_room_host', `Only the host of room "${r.id}" may do that.`]);
    await a.service.end(r.id, HOST);
    const ended = await rejection(a.service.pushTicket(r.id, HOST, BASES));
    expect([ended.kind, ended.code, ended.message]).toEqual(['conflict', 'room_ended', `Room "${r.id}" has ended; it cannot become live.`]);
    expect(await rejection(a.service.pushTicket('nope00000000', ADMIN, BASES))).toBeInstanceOf(RoomNotFound);
  });

  test('play URLs: anyone, for idle and live rooms, valid for PLAY_TTL_S', async () => {
    const r = await a.service.create('host-1', { title: 'x' });
    const play = await a.service.playUrls(r.id, BASES);
    const expires = Math.ceil(T0 / 1000) + PLAY_TTL_S;
    expect(play.flv).toMatch(new RegExp(`^${BASES.http}/live/${r.id}\\.flv\\?`));
    for (const url of [play.flv, play.hls, play.rtmp]) expect(signedExpiry(url, 'play', r.id, T0 / 1000)).toBe(expires);
    expect(play.expiresAt).toBe(new Date(expires * 1000).toISOString());
    await a.service.publisherStarted(r.id);
    expect((await a.service.playUrls(r.id, BASES)).expiresAt).toBe(play.expiresAt);
  });

  test('play URLs of an ended room: 409 room_ended with the replay of its broadcast, or null if it never went live', async () => {
    const live = await liveRoom();
    await a.service.end(live.id, HOST);
    const e = await rejection(a.service.playUrls(live.id, BASES));
    expect(e).toBeInstanceOf(IllegalTransition);
    expect([e.code, e.message]).toEqual(['room_ended', `Room "${live.id}" has ended.`]);
    expect(e.details).toEqual({ replay: `${BASES.http}/replay/${live.id}/${live.broadcastId}/index.m3u8` });

    const never = await a.service.create('host-1', { title: 'never live' });
    await a.service.end(never.id, HOST);
    expect((await rejection(a.service.playUrls(never.id, BASES))).details).toEqual({ replay: null });
  });

  test('no replay URL where recordings are off', async () => {
    const off = c.node({ urls: new SignedMediaUrls(SECRET, false) });
    const live = await liveRoom(off);
    expect(off.service.replayUrl(live, BASES)).toBeNull();
    expect(a.service.replayUrl(live, BASES)).toBe(`${BASES.http}/replay/${live.id}/${live.broadcastId}/index.m3u8`);
  });
});

describe('ending', () => {
  test('the host ends an idle room: ended at the clock time, one ended event', async () => {
    const r = await a.service.create('host-1', { title: 'x' });
    c.clock.advance(1234);
    const ended = await a.service.end(r.id, HOST);
    expect(ended).toEqual({ ...r, status: 'ended', endedAt: T0 + 1234 });
    expect(await a.service.get(r.id)).toEqual(ended);
    expect(a.events).toEqual([['ended', r.id]]);
  });

  test('the admin ends a live room whose publisher is away: the grace is cleared with it', async () => {
    const live = await liveRoom();
    c.clock.advance(10);
    await a.service.publisherStopped(live.id);
    const ended = await a.service.end(live.id, ADMIN);
    expect(ended).toMatchObject({ status: 'ended', endedAt: T0 + 10, disconnectedAt: null, startedAt: T0, broadcastId: live.broadcastId });
  });

  test('another user may not end it (403, still idle); ending twice is 409 room_ended', async () => {
    const r = await a.service.create('host-1', { title: 'x' });
    expect((await rejection(a.service.end(r.id, OTHER))).code).toBe('not_room_host');
    expect((await a.service.get(r.id)).status).toBe('idle');
    await a.service.end(r.id, HOST);
    const again = await rejection(a.service.end(r.id, HOST));
    expect(again).toBeInstanceOf(IllegalTransition);
    expect([again.kind, again.code]).toEqual(['conflict', 'room_ended']);
    expect(a.events).toEqual([['ended', r.id]]);
  });

  test('losing a race to another node: the refusal reports the state the store holds now', async () => {
    const b = c.node();
    const live = await liveRoom(b);
    const slow = c.node({}, pauseAfter('get', async () => { await b.service.end(live.id, ADMIN); }));
    const e = await rejection(slow.service.end(live.id, HOST));
    // read as live, but ended by the time it wrote: "has ended", not "cannot go from live to ended"
    expect([e.code, e.message]).toEqual(['room_ended', `Room "${live.id}" has ended; it cannot become ended.`]);
    expect(slow.events).toEqual([]);
  });

  test('a room deleted meanwhile gives a 409 against the state it was read in, not a crash', async () => {
    const b = c.node();
    const live = await liveRoom(b);
    const slow = c.node({}, pauseAfter('get', async () => { await b.service.delete(live.id, ADMIN); }));
    const e = await rejection(slow.service.end(live.id, HOST));
    expect([e.code, e.message]).toEqual(['illegal_transition', `Room "${live.id}" cannot go from live to ended.`]);
  });
});

describe('deleting', () => {
  test('a live room is ended first, then deleted; the events say both', async () => {
    const live = await liveRoom();
    await a.service.publisherStopped(live.id);
    c.clock.advance(700);
    await a.service.delete(live.id, HOST);
    expect(await a.service.find(live.id)).toBeNull();
    expect(a.events).toEqual([['live', live.id, false], ['publisherGone', live.id], ['ended', live.id], ['deleted', live.id]]);
    // listeners of `ended` get the ended record, as for any other end
    expect(a.endedRecords).toEqual([{ ...live, status: 'ended', endedAt: T0 + 700, disconnectedAt: null }]);
  });

  test('an ended room is deleted without a second ended event', async () => {
    const r = await a.service.create('host-1', { title: 'x' });
    await a.service.end(r.id, HOST);
    await a.service.delete(r.id, ADMIN);
    expect(a.events).toEqual([['ended', r.id], ['deleted', r.id]]);
  });

  test('another user may not delete (403, kept); an unknown room is 404', async () => {
    const r = await a.service.create('host-1', { title: 'x' });
    expect(await rejection(a.service.delete(r.id, OTHER))).toBeInstanceOf(Forbidden);
    expect(await a.service.get(r.id)).toEqual(r);
    expect(await rejection(a.service.delete('nope00000000', ADMIN))).toBeInstanceOf(RoomNotFound);
    expect(a.events).toEqual([]);
  });

  test('ended by another node meanwhile: still deleted; deleted by another node meanwhile: no second event', async () => {
    const b = c.node();
    const one = await b.service.create('host-1', { title: 'one' });
    const slow = c.node({}, pauseAfter('get', async () => { await b.service.end(one.id, ADMIN); }));
    await slow.service.delete(one.id, HOST);
    expect(await b.service.find(one.id)).toBeNull();
    expect(slow.events).toEqual([['deleted', one.id]]);

    const two = await b.service.create('host-1', { title: 'two' });
    const slower = c.node({}, pauseAfter('get', async () => { await b.service.delete(two.id, ADMIN); }));
    await slower.service.delete(two.id, HOST);
    expect(b.events.filter((e) => e[0] === 'deleted')).toEqual([['deleted', two.id]]);
    expect(slower.events.filter((e) => e[0] === 'deleted')).toEqual([]);
  });
});
