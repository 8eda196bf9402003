// The lifecycle driven by media events, on the injected clock over a real SQLite store: first publish, a
// dropped publisher's grace (RECONNECT_GRACE_S), reconnects, the sweep that ends rooms after the grace and
// its guard against a publisher that comes back mid-sweep, and publishersLost() after a media restart.
import { IllegalTransition, RoomNotFound } from '../../server/errors';
import { BROADCAST_ID_PATTERN } from '../../server/rooms/ids';
import { Cluster, GRACE_MS, T0, pauseAfter, rejection, type Node, type RoomRecord } from './service-kit';

let c: Cluster;
let a: Node;
beforeEach(() => {
  c = new Cluster();
  a = c.node();
});
afterEach(async () => { await c.close(); });

const idle = (n: Node = a) => n.service.create('host-1', { title: 'room' });
async function live(n: Node = a): Promise<RoomRecord> {
  return n.service.publisherStarted((await idle(n)).id);
}
/** a live room whose publisher dropped at the current clock time */
async function dropped(n: Node = a): Promise<RoomRecord> {
  const r = await live(n);
  await n.service.publisherStopped(r.id);
  return n.service.get(r.id);
}

describe('publishers', () => {
  test('the first publish makes an idle room live: start time, a new broadcast id, a live event', async () => {
    const r = await idle();
    c.clock.advance(500);
    const started = await a.service.publisherStarted(r.id);
    expect(started).toEqual({ ...r, status: 'live', startedAt: T0 + 500, broadcastId: expect.stringMatching(BROADCAST_ID_PATTERN) });
    expect(await a.service.get(r.id)).toEqual(started);
    expect(a.events).toEqual([['live', r.id, false]]);
  });

  test('an ended room refuses publishers (409 room_ended); an unknown one is 404', async () => {
    const r = await idle();
    await a.service.end(r.id, { kind: 'admin' });
    for (const p of [a.service.admitPublisher(r.id, 0), a.service.publisherStarted(r.id)]) {
      const e = await rejection(p);
      expect(e).toBeInstanceOf(IllegalTransition);
      expect([e.code, e.message]).toEqual(['room_ended', `Room "${r.id}" has ended; it cannot become live.`]);
    }
    expect(await rejection(a.service.admitPublisher('nope00000000', 0))).toBeInstanceOf(RoomNotFound);
    expect(await rejection(a.service.publisherStarted('nope00000000'))).toBeInstanceOf(RoomNotFound);
    expect(a.events).toEqual([['ended', r.id]]);
  });

  test('idle and live rooms admit a publisher', async () => {
    const r = await idle();
    expect(await a.service.admitPublisher(r.id, 0)).toEqual(r);
    const l = await a.service.publisherStarted(r.id);
    expect(await a.service.admitPublisher(r.id, 0)).toEqual(l);
  });

  test('a dropped publisher starts the grace once: the room stays live, one publisherGone', async () => {
    const r = await live();
    c.clock.advance(100);
    await a.service.publisherStopped(r.id);
    expect(await a.service.get(r.id)).toEqual({ ...r, disconnectedAt: T0 + 100 });
    c.clock.advance(100);
    await a.service.publisherStopped(r.id); // a second report does not push the deadline out
    expect((await a.service.get(r.id)).disconnectedAt).toBe(T0 + 100);
    expect(a.events).toEqual([['live', r.id, false], ['publisherGone', r.id]]);
  });

  test('publisherStopped on an idle, ended or unknown room does nothing', async () => {
    const i = await idle();
    const e = await idle();
    await a.service.end(e.id, { kind: 'admin' });
    for (const id of [i.id, e.id, 'nope00000000']) await a.service.publisherStopped(id);
    expect((await a.service.get(i.id)).disconnectedAt).toBeNull();
    expect((await a.service.get(e.id)).disconnectedAt).toBeNull();
    expect(a.events.filter((x) => x[0] === 'publisherGone')).toEqual([]);
  });

  test('coming back inside the grace resumes the same broadcast and cancels the grace', async () => {
    const r = await dropped();
    c.clock.advance(GRACE_MS - 1);
    const back = await a.service.publisherStarted(r.id);
    expect(back).toEqual({ ...r, disconnectedAt: null });
    expect(a.events.at(-1)).toEqual(['live', r.id, true]);
    c.clock.advance(GRACE_MS * 5);
    expect(await a.service.sweep()).toEqual([]);
    expect((await a.service.get(r.id)).status).toBe('live');
  });

  test('a room ended between the check and the resume refuses the publisher (409), no live event', async () => {
    const b = c.node();
    const r = await dropped(b);
    const slow = c.node({}, pauseAfter('get', async () => { await b.service.end(r.id, { kind: 'admin' }); }));
    const e = await rejection(slow.service.publisherStarted(r.id));
    expect([e.kind, e.code, e.message]).toEqual(['conflict', 'room_ended', `Room "${r.id}" has ended; it cannot become live.`]);
    expect(slow.events).toEqual([]);
  });

  test('two nodes racing the first publish: one broadcast; the loser is refused, not a second broadcast', async () => {
    const b = c.node();
    const r = await idle(b);
    let winner: RoomRecord | undefined;
    const slow = c.node({}, pauseAfter('get', async () => { winner = await b.service.publisherStarted(r.id); }));
    const e = await rejection(slow.service.publisherStarted(r.id));
    expect([e.code, e.message]).toEqual(['illegal_transition', `Room "${r.id}" cannot go from live to live.`]);
    expect(b.events).toEqual([['live', r.id, false]]);
    expect(slow.events).toEqual([]);
    expect(await b.service.get(r.id)).toEqual(winner);
  });
});

describe('the grace sweep', () => {
  test('a dropped room ends exactly RECONNECT_GRACE_S after the drop, not a millisecond before', async () => {
    const r = await dropped();
    c.clock.advance(GRACE_MS - 1);
    expect(await a.service.sweep()).toEqual([]);
    expect((await a.service.get(r.id)).status).toBe('live');
    c.clock.advance(1);
    const [ended, ...more] = await a.service.sweep();
    expect(more).toEqual([]);
    expect(ended).toEqual({ ...r, status: 'ended', endedAt: T0 + GRACE_MS, disconnectedAt: null });
    expect(await a.service.get(r.id)).toEqual(ended);
    expect(a.events.at(-1)).toEqual(['ended', r.id]);
    expect(await a.service.sweep()).toEqual([]); // ended once
  });

  test('only rooms past their own grace end; connected and idle rooms are left alone', async () => {
    const first = await dropped();
    c.clock.advance(3000);
    const second = await dropped();
    const connected = await live();
    const waiting = await idle();
    c.clock.advance(GRACE_MS - 3000);
    expect((await a.service.sweep()).map((r) => r.id)).toEqual([first.id]);
    c.clock.advance(3000);
    expect((await a.service.sweep()).map((r) => r.id)).toEqual([second.id]);
    c.clock.advance(GRACE_MS * 10);
    expect(await a.service.sweep()).toEqual([]);
    expect([(await a.service.get(connected.id)).status, (await a.service.get(waiting.id)).status]).toEqual(['live', 'idle']);
  });

  test('a publisher that reconnects mid-sweep keeps its room; the sweep still ends the others', async () => {
    const b = c.node();
    const back = await dropped(b);
    const gone = await dropped(b);
    c.clock.advance(GRACE_MS);
    // the sweep has read both rooms as overdue when the first publisher's reconnect lands on another node
    const sweeper = c.node({}, pauseAfter('listDisconnected', async () => { await b.service.publisherStarted(back.id); }));
    expect((await sweeper.service.sweep()).map((r) => r.id)).toEqual([gone.id]);
    expect(await b.service.get(back.id)).toMatchObject({ status: 'live', disconnectedAt: null, broadcastId: back.broadcastId });
    expect(sweeper.events).toEqual([['ended', gone.id]]);
  });

  test('reconnected and dropped again mid-sweep: the new drop starts a new grace', async () => {
    const b = c.node();
    const r = await dropped(b);
    c.clock.advance(GRACE_MS);
    const sweeper = c.node({}, pauseAfter('listDisconnected', async () => {
      await b.service.publisherStarted(r.id);
      await b.service.publisherStopped(r.id);
    }));
    expect(await sweeper.service.sweep()).toEqual([]);
    expect((await b.service.get(r.id)).disconnectedAt).toBe(T0 + GRACE_MS);
    c.clock.advance(GRACE_MS - 1);
    expect(await sweeper.service.sweep()).toEqual([]);
    c.clock.advance(1);
    expect((await sweeper.service.sweep()).map((x) => x.id)).toEqual([r.id]);
  });

  test('two nodes sweeping at once: each room is ended, and announced, once', async () => {
    const b = c.node();
    const r = await dropped(b);
    c.clock.advance(GRACE_MS);
    const sweeper = c.node({}, pauseAfter('listDisconnected', async () => {
      expect((await b.service.sweep()).map((x) => x.id)).toEqual([r.id]);
    }));
    expect(await sweeper.service.sweep()).toEqual([]);
    expect([...b.events, ...sweeper.events].filter((e) => e[0] === 'ended')).toEqual([['ended', r.id]]);
  });
});

describe('publishersLost (media server restarted: nobody is connected any more)', () => {
  test('every live room that thought it had a publisher starts its grace now; earlier drops keep theirs', async () => {
    const connected = await live();
    const away = await dropped();
    const waiting = await idle();
    const over = await idle();
    await a.service.end(over.id, { kind: 'admin' });
    c.clock.advance(4000);
    expect(await a.service.publishersLost()).toBe(1);
    expect((await a.service.get(connected.id)).disconnectedAt).toBe(T0 + 4000);
    expect((await a.service.get(away.id)).disconnectedAt).toBe(T0);
    expect([(await a.service.get(waiting.id)).disconnectedAt, (await a.service.get(over.id)).disconnectedAt]).toEqual([null, null]);
    expect(await a.service.publishersLost()).toBe(0); // nothing left to mark

    // the grace then runs as for any drop: the earlier drop ends first
    c.clock.advance(GRACE_MS - 4000);
    expect((await a.service.sweep()).map((r) => r.id)).toEqual([away.id]);
    c.clock.advance(3999);
    expect(await a.service.sweep()).toEqual([]);
    c.clock.advance(1);
    expect((await a.service.sweep()).map((r) => r.id)).toEqual([connected.id]);
  });

  test('the encoder coming back after the restart keeps the room', async () => {
    const r = await live();
    await a.service.publishersLost();
    c.clock.advance(GRACE_MS / 2);
    expect(await a.service.publisherStarted(r.id)).toMatchObject({ status: 'live', disconnectedAt: null, broadcastId: r.broadcastId });
    c.clock.advance(GRACE_MS);
    expect(await a.service.sweep()).toEqual([]);
  });

  test('pages through more live rooms than one store page (100)', async () => {
    const rooms: RoomRecord[] = [];
    for (let i = 0; i < 230; i++) {
      if (i % 7 === 0) c.clock.advance(1); // ties on createdAt across page edges
      rooms.push(await live());
    }
    c.clock.advance(1);
    expect(await a.service.publishersLost()).toBe(230);
    const marks = await Promise.all(rooms.map(async (r) => (await a.service.get(r.id)).disconnectedAt));
    expect(new Set(marks)).toEqual(new Set([c.clock.ms]));
  });

  test('a drop recorded while it runs keeps its earlier time (the grace is not pushed out)', async () => {
    const b = c.node();
    const r = await live(b);
    const dropAt = c.clock.ms;
    const lost = c.node({}, pauseAfter('list', async () => {
      await b.service.publisherStopped(r.id); // the room was read as connected; its drop lands now…
      c.clock.advance(500); // …and publishersLost writes half a second later
    }));
    expect(await lost.service.publishersLost()).toBe(0);
    expect((await b.service.get(r.id)).disconnectedAt).toBe(dropAt);
  });

  test('no live rooms: nothing to do', async () => {
    await idle();
    expect(await a.service.publishersLost()).toBe(0);
  });
});
