// ConnectionTable on its own: who is evicted, who waits in excess, who is refused (no sockets involved).
import { ConnectionTable, type ConnectionState } from '../../../server/media/rtmp/connection-table';

interface Conn { name: string; address: string; state: ConnectionState; live?: boolean }

function table(caps: Partial<ConstructorParameters<typeof ConnectionTable>[0]> = {}) {
  const t = new ConnectionTable<Conn>(
    { maxConnections: 4, publisherReserve: 1, maxPerIp: 10, hardCeiling: 6, ...caps },
    (c) => c.state === 'pending' || (c.state === 'player' && !c.live),
  );
  const conn = (name: string, address = 'a'): Conn => ({ name, address, state: 'pending' });
  const names = (v: { evict: { victim: Conn; reason: string }[] }) => v.evict.map((e) => `${e.victim.name}:${e.reason}`);
  return { t, conn, names };
}

test('past the per-address cap the oldest evictable of that address goes, never a live player or another address', () => {
  const { t, conn, names } = table({ maxConnections: 100, maxPerIp: 2, hardCeiling: 200 });
  const [live, b, c, other] = [conn('live'), conn('b'), conn('c'), conn('other', 'z')];
  t.arrive(live);
  t.play(live);
  live.live = true;
  t.arrive(other);
  t.arrive(b);
  expect(names(t.arrive(c))).toEqual(['b:rtmp_per_ip']);
  expect([t.countOf('a'), t.countOf('z')]).toEqual([2, 1]);
});

/** `n` players of a live room, from address 'a'. */
function livePlayers(t: ConnectionTable<Conn>, conn: (name: string) => Conn, n: number): Conn[] {
  return Array.from({ length: n }, (_, i) => {
    const p = conn(`p${i}`);
    t.arrive(p);
    expect(t.play(p).refused).toBeNull();
    p.live = true;
    return p;
  });
}

test('newcomers over a cap with nobody to evict wait in excess without evicting each other; a signed publisher outranks them', () => {
  const { t, conn, names } = table({ maxConnections: 4, publisherReserve: 1, hardCeiling: 6 });
  livePlayers(t, conn, 3);
  const [x, y] = [conn('x'), conn('y')];
  expect(names(t.arrive(x))).toEqual([]);
  expect(names(t.arrive(y))).toEqual([]); // x waits in excess: y does not evict it
  expect(t.play(y).refused).toBe('rtmp_connections'); // a fourth player would take the reserve
  t.remove(y);
  const host = conn('host');
  t.arrive(host);
  // 3 players + x + host = 5 of 4: the publisher goes first, host (still pending) makes room
  expect(t.publish(x)).toEqual({ evict: [{ victim: host, reason: 'rtmp_connections' }], refused: null });
  expect(t.size).toBe(4);
});

test('at the hard ceiling the oldest evictable goes, in excess or not; a publisher past the total is refused', () => {
  const { t, conn, names } = table({ maxConnections: 2, publisherReserve: 0, hardCeiling: 3 });
  livePlayers(t, conn, 2);
  const [x, y] = [conn('x'), conn('y')];
  expect(names(t.arrive(x))).toEqual([]); // in excess
  expect(names(t.arrive(y))).toEqual(['x:rtmp_connections']); // at the ceiling: x goes after all
  expect(t.publish(y)).toEqual({ evict: [], refused: 'rtmp_connections' });
});

test('a ceiling full of live players and publishers refuses the newcomer itself', () => {
  const { t, conn } = table({ maxConnections: 2, publisherReserve: 0, hardCeiling: 2 });
  livePlayers(t, conn, 2);
  expect(t.arrive(conn('x'))).toEqual({ evict: [], refused: 'rtmp_connections' });
  expect(t.size).toBe(2);
});

test('a signed publisher goes over its address\'s cap when nobody there can be evicted; a player does not', () => {
  const { t, conn } = table({ maxConnections: 100, maxPerIp: 2, hardCeiling: 200 });
  livePlayers(t, conn, 2);
  const [host, viewer] = [conn('host'), conn('viewer')];
  t.arrive(host);
  t.arrive(viewer);
  expect(t.publish(host).refused).toBeNull();
  expect(t.play(viewer).refused).toBe('rtmp_per_ip');
  t.remove(viewer);
  expect(t.countOf('a')).toBe(3);
  t.remove(host);
  t.remove(host); // idempotent
  expect(t.countOf('a')).toBe(2);
});

test('a refused connection counts as pending until it is removed: evictable, and no longer a publisher', () => {
  const { t, conn, names } = table({ maxConnections: 3, publisherReserve: 1, maxPerIp: 10, hardCeiling: 10 });
  const [p, q] = livePlayers(t, conn, 2);
  const late = conn('late');
  t.arrive(late);
  expect(t.play(late).refused).toBe('rtmp_connections');
  t.refused(late);
  expect(t.size).toBe(3); // still counted while its socket lingers
  // no longer waiting in excess: the next newcomer evicts it
  const host = conn('host');
  expect(names(t.arrive(host))).toEqual(['late:rtmp_connections']);
  expect(t.publish(host)).toEqual({ evict: [], refused: null });
  t.refused(host);
  // a refused publisher is pending again: the next newcomer evicts it
  const other = conn('other');
  expect(names(t.arrive(other))).toEqual(['host:rtmp_connections']);
  expect(t.play(other).refused).toBe('rtmp_connections'); // a third player: counted right, the reserve stays free
  expect([p, q].map((c) => c.state)).toEqual(['player', 'player']);
});
