// Node's own HTTP limits (server.ts): slow headers and slow bodies are closed within their deadlines while
// the API keeps answering, long responses are never cut by requestTimeout, and connections past
// HTTP_MAX_CONNECTIONS are dropped and counted.
import { metricValue } from '../media/e2e/e2e-kit';
import { call, createRoom } from '../helpers/http';
import { RawSocket } from '../helpers/raw-socket';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until } from '../helpers/wait';

// one server at a time: the embedded RTMP server is one per process
let s: TestServer | undefined;
const sockets: RawSocket[] = [];
afterEach(async () => {
  for (const r of sockets.splice(0)) r.close();
  await s?.stop(true);
  s = undefined;
});

const open = async (head: string) => {
  const r = await RawSocket.open(s!.httpPort, head);
  sockets.push(r);
  return r;
};

/** Sends one byte a second until the socket closes. */
function trickle(r: RawSocket): NodeJS.Timeout {
  const timer = setInterval(() => r.write('x'), 1000);
  void r.closed.then(() => clearInterval(timer));
  return timer;
}

test('slowloris: headers sent a byte a second are closed within HTTP_HEADERS_TIMEOUT_S; /healthz answers throughout', async () => {
  s = await startTestServer({ HTTP_HEADERS_TIMEOUT_S: '2', HTTP_REQUEST_TIMEOUT_S: '30' });
  const slow = await open('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  trickle(slow);
  const health: number[] = [];
  await until(async () => {
    health.push((await call(s!.url, 'GET', '/healthz')).status);
    return slow.isClosed;
  }, 8000, 'the slow-header socket to be closed', 200);
  const lived = slow.closedAt! - slow.openedAt;
  expect(lived).toBeGreaterThanOrEqual(1500);
  expect(lived).toBeLessThanOrEqual(2000 + 1000 + 2000); // the timeout, Node's 1 s check interval, slack for a busy machine
  expect(slow.status).toBe(408);
  expect(health.length).toBeGreaterThan(3);
  expect(health.every((st) => st === 200)).toBe(true);
});

test('a body sent a byte a second is closed at HTTP_REQUEST_TIMEOUT_S; a long FLV response is not', async () => {
  s = await startTestServer({ HTTP_HEADERS_TIMEOUT_S: '1', HTTP_REQUEST_TIMEOUT_S: '2', IDLE_VIEWER_WAIT_S: '60' });
  const { room } = await createRoom(s.url, 'long response');
  const play = (await call(s.url, 'GET', `/api/rooms/${room.id}/play`)).body.play;
  const flvPath = new URL(play.flv).pathname + new URL(play.flv).search;
  const viewer = await RawSocket.get(s.httpPort, flvPath);
  sockets.push(viewer);
  await until(() => viewer.status !== null, 5000, 'the FLV response head');
  expect(viewer.status).toBe(200);
  const slowBody = await open('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
  trickle(slowBody);
  await slowBody.closed;
  expect(slowBody.closedAt! - slowBody.openedAt).toBeLessThanOrEqual(2000 + 1000 + 2000);
  expect(slowBody.status).toBe(408);
  // the viewer's request ended with its headers: it outlives the request deadline by several checks
  await until(() => Date.now() - viewer.openedAt > 2000 + 3000, 8000, 'three more deadline checks');
  expect(viewer.isClosed).toBe(false);
});

test('connections past HTTP_MAX_CONNECTIONS are dropped and counted; a freed place serves again', async () => {
  s = await startTestServer({ HTTP_MAX_CONNECTIONS: '3' });
  const keepAlive = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  const held = [await open(keepAlive), await open(keepAlive), await open(keepAlive)];
  await until(() => held.every((r) => r.status === 200), 5000, 'three kept-alive connections');
  const fourth = await open(keepAlive);
  await fourth.closed;
  expect(fourth.bytes).toBe(0);
  held[0]!.close();
  held[1]!.close();
  let dropped = 1; // the fourth; a fetch made before the server saw the two closes is dropped as well
  await until(async () => {
    const r = await fetch(`${s!.url}/metrics`, { headers: { authorization: `Bearer ${s!.config.secrets.adminToken}` } }).catch(() => null);
    if (r === null) dropped++;
    return r !== null && r.status === 200
      && metricValue(await r.text(), 'wxlive_limit_refusals_total{reason="http_connections"}') === dropped;
}, 5000, 'the refusal counted, served on a freed place');
});
