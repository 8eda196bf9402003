// Issue 10, row 2, against the real server: a crowd on the RTMP port, all from 127.0.0.1 (like a host behind the
// NAT of its audience), never locks a signed publisher out, and players of an idle room are closed after the wait.
import { execFileSync } from 'node:child_process';
import { call, createRoom } from '../../helpers/http';
import { RawRtmpClient } from '../../helpers/rtmp-client';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { playUrls, until } from './e2e-kit';

/** each connection costs two fds here (client and server in one process): stay well inside the soft limit */
const FD_LIMIT = Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim()) || 1024;
const CROWD = Math.min(1000, Math.floor((FD_LIMIT - 300) / 3));
const RESERVE = Math.max(2, Math.round(CROWD / 20));
const IDLE_WAIT_S = 6;

let s: TestServer | null = null;
const clients: RawRtmpClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await s?.stop(true);
  s = null;
});

/** Where the stream name starts in an RTMP URL: `<room>?expires=…&sign=…`. */
const streamName = (rtmpUrl: string) => rtmpUrl.slice(rtmpUrl.indexOf('/live/') + '/live/'.length);

/** Handshake, connect, createStream, play/publish; a socket the server closes on the way just ends up closed. */
async function attempt(port: number, kind: 'play' | 'publish', name: string): Promise<RawRtmpClient> {
  const c = await RawRtmpClient.open(port);
  clients.push(c);
  const shook = await Promise.race([c.handshake().then(() => true, () => false), c.closed.then(() => false)]);
  if (shook) c.start(kind, port, name);
  return c;
}

async function refusals(reason: string): Promise<number> {
  const r = await call(s!.url, 'GET', '/metrics', { token: s!.config.secrets.adminToken });
  const m = new RegExp(`wxlive_limit_refusals_total\\{reason="${reason}"\\} (\\d+)`).exec(String(r.body));
  return m ? Number(m[1]) : 0;
}

/** A signed publisher: the time from its TCP connect to NetStream.Publish.Start. */
async function publisherGetsIn(code: string): Promise<number> {
  const { push } = await createRoom(s!.url, 'the host', code);
  const t0 = Date.now();
  const host = await attempt(s!.rtmpPort, 'publish', streamName(push.url));
  await host.waitForText('NetStream.Publish.Start', 5000);
  return Date.now() - t0;
}

test(`${CROWD} players of an idle room: players stop at the reserve, a publisher gets in within 2 s, the players go after the wait`, async () => {
  s = await startTestServer({
    RTMP_MAX_CONNECTIONS: String(CROWD), RTMP_PUBLISHER_RESERVE: String(RESERVE), RTMP_MAX_PER_IP: String(4 * CROWD),
    RTMP_MAX_PER_ROOM: String(4 * CROWD),
    RTMP_HANDSHAKE_TIMEOUT_S: '30', IDLE_VIEWER_WAIT_S: String(IDLE_WAIT_S),
  });
  const idle = await createRoom(s.url, 'nobody publishes', 'idle-host');
  const name = streamName((await playUrls(s.url, idle.room.id)).rtmp);
  const playAt = new Map<RawRtmpClient, number>();
  const players = await Promise.all(Array.from({ length: CROWD }, async () => {
    const p = await attempt(s!.rtmpPort, 'play', name);
    // seen as it arrives (the client's own listener ran first): the server's wait began a moment before
    const seen = () => {
      if (!p.received.includes('NetStream.Play.Start')) return;
      playAt.set(p, Date.now());
      p.socket.off('data', seen);
    };
    p.socket.on('data', seen);
    seen();
    return p;
  }));
  await until(() => players.every((p) => p.isClosed || playAt.has(p)), 20000, 'every player to play or be evicted');
  const open = () => players.filter((p) => !p.isClosed);
  // newcomers over the non-publisher slots evicted the oldest players; the reserve stayed free
  expect(open().length).toBe(CROWD - RESERVE);
  expect(await refusals('rtmp_connections')).toBe(RESERVE);

  expect(await publisherGetsIn('a-host')).toBeLessThan(2000);
  // its socket, new among a full house, evicted one idle player: the rest still wait
  const waiting = open();
  expect(waiting.length).toBe(CROWD - RESERVE - 1);
  expect(Math.min(...waiting.map((p) => playAt.get(p)!)) + IDLE_WAIT_S * 1000).toBeGreaterThan(Date.now());

  const closedAt = new Map<RawRtmpClient, number>();
  for (const p of waiting) void p.closed.then(() => closedAt.set(p, Date.now()));
  await until(() => closedAt.size === waiting.length, IDLE_WAIT_S * 1000 + 5000, 'the idle players to be closed');
  const waited = waiting.map((p) => closedAt.get(p)! - playAt.get(p)!);
  // a busy event loop hands a client its Play.Start a little after the server started the wait
  expect(Math.min(...waited)).toBeGreaterThanOrEqual(IDLE_WAIT_S * 1000 - 500);
  expect(Math.max(...waited)).toBeLessThan(IDLE_WAIT_S * 1000 + 3000);
  expect(await refusals('rtmp_idle_room')).toBe(waiting.length);
}, 45000);

test(`${CROWD} raw sockets from one address that never handshake: a signed publisher from it gets in within 2 s`, async () => {
  s = await startTestServer({ RTMP_MAX_CONNECTIONS: String(CROWD), RTMP_PUBLISHER_RESERVE: String(RESERVE) }); // 100 per address
  const crowd = await Promise.all(Array.from({ length: CROWD }, async () => {
    const c = await RawRtmpClient.open(s!.rtmpPort);
    clients.push(c);
    return c;
  }));
  // the server has accepted them all once one more socket, opened after them, is answered
  const probe = await attempt(s.rtmpPort, 'play', 'x');
  await until(() => probe.received.length > 0 || probe.isClosed, 5000, 'the server to catch up');
  await until(() => crowd.filter((c) => !c.isClosed).length <= 100, 5000, 'the address to be held to its cap');
  expect(await publisherGetsIn('crowded-host')).toBeLessThan(2000);
  expect(await refusals('rtmp_per_ip')).toBeGreaterThanOrEqual(CROWD - 100);
}, 30000);
