// RoomService abuse limits (issue 10, row 6) over a real SQLite store with the injected clock: creation rate per
// user and per address (429 + retryAfterS), the open-room cap per host, idle rooms that expire with their push
// ticket, and push ticket revocation (only the newest generation is admitted).
import { DomainError, RateLimited } from '../../server/errors';
import { pushGenerationOf, readSignedParams, verifyMedia } from '../../server/signing/media-signature';
import type { RoomLimits } from '../../server/rooms/room-service';
import { BASES, Cluster, PUSH_TTL_S, SECRET, T0, pauseAfter, rejection, type Node } from './service-kit';

const LIMITS: RoomLimits = { createPerUserPerMin: 100, createPerAddressPerMin: 100, maxOpenPerHost: 100 };
const HOST = { kind: 'user', userId: 'host-1' } as const;

let c: Cluster;
let refusals: string[];
beforeEach(() => {
  c = new Cluster();
  refusals = [];
});
afterEach(async () => { await c.close(); });

const limited = (over: Partial<RoomLimits>): Node =>
  c.node({ limits: { ...LIMITS, ...over }, onLimit: (reason) => refusals.push(reason) });
const queryOf = (url: string) => Object.fromEntries(new URL(url.replace(/^rtmp:/, 'http:')).searchParams);

describe('creation rate', () => {
  test('per user: the (n+1)-th room within a minute is a 429 with a wait of at most a minute; others still create', async () => {
    const a = limited({ createPerUserPerMin: 2 });
    await a.service.create('host-1', { title: '1' });
    await a.service.create('host-1', { title: '2' });
    const e = await rejection(a.service.create('host-1', { title: '3' }));
    expect(e).toBeInstanceOf(RateLimited);
    expect([e.kind, e.code]).toEqual(['rate_limited', 'room_create_rate_user']);
    const wait = (e as RateLimited).retryAfterS!;
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(e.message).toBe(`You are creating rooms too fast; try again in ${wait} s.`);
    expect(refusals).toEqual(['room_create_rate_user']);
    await a.service.create('host-2', { title: 'someone else' });
    expect(await a.service.count('idle')).toBe(3);
  });

  test('per address: many users from one address share its budget; another address is not held up', async () => {
    const a = limited({ createPerAddressPerMin: 3 });
    for (const user of ['u1', 'u2', 'u3']) await a.service.create(user, { title: user }, { address: '203.0.113.9' });
    const e = await rejection(a.service.create('u4', { title: 'u4' }, { address: '203.0.113.9' }));
    expect([e.kind, e.code]).toEqual(['rate_limited', 'room_create_rate_address']);
    expect(e.message).toMatch(/^Too many rooms created from this address; try again in \d+ s\.$/);
    await a.service.create('u4', { title: 'u4' }, { address: '198.51.100.1' });
    expect(refusals).toEqual(['room_create_rate_address']);
  });

  test('a caller without an address (an internal one) is not counted against any address', async () => {
    const a = limited({ createPerAddressPerMin: 1 });
    for (const user of ['u1', 'u2', 'u3']) await a.service.create(user, { title: user });
    await a.service.create('u4', { title: 'u4' }, { address: '203.0.113.9' });
    expect(refusals).toEqual([]);
  });
});

describe('open rooms per host', () => {
  test('at the cap a host gets 409 too_many_open_rooms; ending one makes room for the next; other hosts are not counted', async () => {
    const a = limited({ maxOpenPerHost: 2 });
    const first = await a.service.create('host-1', { title: '1' });
    const second = await a.service.publisherStarted((await a.service.create('host-1', { title: '2' })).id); // live counts too
    const e = await rejection(a.service.create('host-1', { title: '3' }));
    expect(e).toBeInstanceOf(DomainError);
    expect([e.kind, e.code, e.message, e.details]).toEqual(['conflict', 'too_many_open_rooms',
      'You already have 2 open rooms; end one before creating another.', { limit: 2 }]);
    expect(refusals).toEqual(['open_rooms_per_host']);
    expect(await a.service.count('idle')).toBe(1); // nothing was stored
    await a.service.create('host-2', { title: 'other host' });
    await a.service.end(first.id, HOST);
    await a.service.create('host-1', { title: '3' });
    expect(second.status).toBe('live');
  });

  test('two nodes creating at once cannot both pass the last free place (the store counts and inserts in one statement)', async () => {
    const a = limited({ maxOpenPerHost: 1 });
    const b = limited({ maxOpenPerHost: 1 });
    const results = await Promise.allSettled([a.service.create('host-1', { title: 'a' }), b.service.create('host-1', { title: 'b' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await a.service.count('idle')).toBe(1);
  });
});

describe('idle rooms expire with their push ticket', () => {
  test('idle rooms are looked for at most every idleSweepEveryMs (10 s by default), not at every grace sweep', async () => {
    const a = c.node();
    const r = await a.service.create('host-1', { title: 'x' });
    c.clock.advance(PUSH_TTL_S * 1000 - 5000);
    expect(await a.service.sweep()).toEqual([]); // looked: the ticket is still valid
    c.clock.advance(7000);
    expect(await a.service.sweep()).toEqual([]); // expired now, but the last look was 7 s ago
    c.clock.advance(3000);
    expect((await a.service.sweep()).map((x) => x.id)).toEqual([r.id]);
  });

  test('nobody published before the ticket expired: the sweep ends the room (once, with an ended event)', async () => {
    const a = c.node({ idleSweepEveryMs: 0 });
    const r = await a.service.create('host-1', { title: 'never used' });
    const ticket = await a.service.pushTicket(r.id, HOST, BASES);
    const expiresS = readSignedParams(queryOf(ticket.url))!.expires;
    c.clock.ms = expiresS * 1000; // the ticket's last valid second
    expect(await a.service.sweep()).toEqual([]);
    c.clock.ms = expiresS * 1000 + 1000;
    const [ended, ...more] = await a.service.sweep();
    expect(more).toEqual([]);
    expect(ended).toMatchObject({ id: r.id, status: 'ended', endedAt: c.clock.ms, startedAt: null });
    expect(verifyMedia(SECRET, 'publish', r.id, readSignedParams(queryOf(ticket.url)), c.clock.ms / 1000))
      .toEqual({ ok: false, reason: 'expired' }); // nothing could have published any more
    expect(await a.service.sweep()).toEqual([]);
    expect(a.events).toEqual([['ended', r.id]]);
  });

  test('a newer ticket keeps the room until that ticket expires; a live room never expires this way', async () => {
    const a = c.node({ idleSweepEveryMs: 0 });
    const r = await a.service.create('host-1', { title: 'refreshed' });
    const live = await a.service.create('host-1', { title: 'live' });
    await a.service.publisherStarted(live.id);
    c.clock.advance((PUSH_TTL_S - 10) * 1000);
    await a.service.pushTicket(r.id, HOST, BASES);
    c.clock.advance(20_000); // past the first ticket's lifetime, inside the second's
    expect(await a.service.sweep()).toEqual([]);
    c.clock.advance(PUSH_TTL_S * 1000);
    expect((await a.service.sweep()).map((x) => x.id)).toEqual([r.id]);
    expect((await a.service.get(live.id)).status).toBe('live');
  });

  test('a ticket issued on another node while the sweep runs keeps the room', async () => {
    const b = c.node();
    const r = await b.service.create('host-1', { title: 'x' });
    c.clock.advance(PUSH_TTL_S * 1000 + 2000);
    const sweeper = c.node({ idleSweepEveryMs: 0 }, pauseAfter('listIdleIssuedBefore', async () => { await b.service.pushTicket(r.id, HOST, BASES); }));
    expect(await sweeper.service.sweep()).toEqual([]);
    expect((await b.service.get(r.id)).status).toBe('idle');
  });
});

describe('push ticket revocation', () => {
  test('each ticket has the next generation; only the newest is admitted, older ones get push_ticket_revoked', async () => {
    const a = c.node();
    const r = await a.service.create('host-1', { title: 'x' });
    const first = await a.service.pushTicket(r.id, HOST, BASES);
    const second = await a.service.pushTicket(r.id, { kind: 'admin' }, BASES);
    const [g1, g2] = [pushGenerationOf(queryOf(first.url)), pushGenerationOf(queryOf(second.url))];
    expect([g1, g2]).toEqual([1, 2]);
    // both still carry valid signatures: revocation is the room's, checked at admission
    for (const t of [first, second]) expect(verifyMedia(SECRET, 'publish', r.id, readSignedParams(queryOf(t.url)), T0 / 1000)).toEqual({ ok: true });
    const e = await rejection(a.service.admitPublisher(r.id, g1));
    expect([e.kind, e.code, e.message]).toEqual(['forbidden', 'push_ticket_revoked',
      `A newer push URL was issued for room "${r.id}"; publish with the latest one.`]);
    expect(await rejection(a.service.admitPublisher(r.id, 0))).toMatchObject({ code: 'push_ticket_revoked' });
    expect((await a.service.admitPublisher(r.id, g2)).pushGeneration).toBe(2);
  });

  test('a room ended on another node while its ticket is issued gets no ticket (409 room_ended)', async () => {
    const b = c.node();
    const r = await b.service.create('host-1', { title: 'x' });
    const a = c.node({}, pauseAfter('get', async () => { await b.service.end(r.id, HOST); }));
    const e = await rejection(a.service.pushTicket(r.id, HOST, BASES));
    expect([e.kind, e.code]).toEqual(['conflict', 'room_ended']);
    expect((await b.service.get(r.id)).pushGeneration).toBe(0);
  });

  test('two nodes issuing at once get different generations, and the room holds the larger', async () => {
    const a = c.node();
    const b = c.node();
    const r = await a.service.create('host-1', { title: 'x' });
    const tickets = await Promise.all([a.service.pushTicket(r.id, HOST, BASES), b.service.pushTicket(r.id, HOST, BASES)]);
    const gens = tickets.map((t) => pushGenerationOf(queryOf(t.url))).sort();
    expect(gens).toEqual([1, 2]);
    expect((await a.service.get(r.id)).pushGeneration).toBe(2);
  });
});
