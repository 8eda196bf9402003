// Co-hosting on two API nodes with BUS=redis (issue 15): two real servers sharing one database (the CloudBase wire
// double) and one real redis-server. A request made on node B's socket reaches the host's socket on node A; the
// host's accept on node A reaches the viewer on node B, and node B's REST answers the same line-up. The Tencent
// plane (its API faked) because the embedded media plane runs once per process; its push tickets answer 501.
import { createHash } from 'node:crypto';
import { keepSdkOnLoopback, startCloudbaseWireServer, type CloudbaseWireServer } from '../helpers/cloudbase-wire-server';
import { call, createRoom, login } from '../helpers/http';
import { startRedisServer, type TestRedis } from '../helpers/redis-server';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { TestSocket } from './chat-server';
import { startTencentApiServer, type TencentApiServer } from '../scale/wire/tencent-api-server';

const CALLBACK_KEY = 'cb-key-for-cohost-nodes';
let redis: TestRedis;
let db: CloudbaseWireServer;
let api: TencentApiServer;
let a: TestServer;
let b: TestServer;
const sockets: TestSocket[] = [];

const nodeEnv = () => ({
  BUS: 'redis', REDIS_URL: redis.url,
  STORE: 'cloudbase', CLOUDBASE_ENV: db.env, CLOUDBASE_SECRET_ID: db.secretId, CLOUDBASE_SECRET_KEY: db.secretKey, CLOUDBASE_SERVICE_URL: db.serviceUrl,
  SIGNING_SECRET: 'signing-secret-shared-by-every-api-node', ADMIN_TOKEN: 'admin-token-shared-by-nodes-0123',
  MEDIA_PROVIDER: 'tencent', TENCENT_PUSH_DOMAIN: 'push.example.com', TENCENT_PLAY_DOMAIN: 'play.example.com',
  TENCENT_PUSH_KEY: 'push-key-cohost-nodes', TENCENT_CALLBACK_KEY: CALLBACK_KEY,
  TENCENT_SECRET_ID: api.secretId, TENCENT_SECRET_KEY: api.secretKey, TENCENT_API_ENDPOINT: api.endpoint,
});

beforeAll(async () => {
  keepSdkOnLoopback();
  redis = await startRedisServer();
  db = await startCloudbaseWireServer();
  api = await startTencentApiServer();
  a = await startTestServer(nodeEnv());
  b = await startTestServer(nodeEnv());
}, 30_000);

afterAll(async () => {
  for (const s of sockets.splice(0)) s.close();
  await a?.stop(true);
  await b?.stop(true);
  await db?.close();
  await api?.close();
  await redis?.close();
});

async function join(srv: TestServer, roomId: string, token: string): Promise<TestSocket> {
  const s = new TestSocket(srv.url.replace('http', 'ws'), roomId);
  sockets.push(s);
  await s.opened;
  s.send({ type: 'auth', token });
  await s.next('hello');
  return s;
}

test('a request on node B reaches the host on node A; the accept on A reaches B\'s sockets and REST within a second', async () => {
  const { token: host, room } = await createRoom(a.url, 'two-node co-hosting', 'cohost-nodes-host');
  const t = Math.floor(Date.now() / 1000) + 300;
  const begin = { stream_id: room.id, channel_id: room.id, appname: 'live', event_type: 1, event_time: Math.floor(Date.now() / 1000),
    t, sign: createHash('md5').update(CALLBACK_KEY + t).digest('hex') };
  api.streams.set(room.id, 'active'); // CSS says the stream is up, as the callback does
  expect((await call(a.url, 'POST', '/api/hooks/tencent', { body: begin })).body).toEqual({ code: 0 });
  expect((await call(b.url, 'GET', `/api/rooms/${room.id}`)).body.room.status).toBe('live');
  const viewerToken = await login(b.url, 'cohost-nodes-viewer');
  const onA = await join(a, room.id, host);
  const onB = await join(b, room.id, viewerToken);
  const viewerId = onB.of('hello')[0]!.you!.id;
  await new Promise((r) => setTimeout(r, 100)); // B's subscription reaches Redis
  // the bound is for a loaded CI runner (other suites on the same 2 cores): a lost or stuck frame waits for the 2 s timeout
  const BOUND_MS = 1000;

  let sent = Date.now();
  onB.send({ type: 'cohost_request' });
  await onA.next('cohost_requests', (f) => f.requests.some((r) => r.user.id === viewerId), 2000);
  expect(Date.now() - sent).toBeLessThan(BOUND_MS);

  sent = Date.now();
  const accepted = await call(a.url, 'POST', `/api/rooms/${room.id}/cohosts`, { token: host, body: { userId: viewerId } });
  expect(accepted.status).toBe(200);
  await onB.next('cohosts', (f) => f.guests.length === 1 && f.guests[0]!.user.id === viewerId, 2000);
  expect(Date.now() - sent).toBeLessThan(BOUND_MS);
  expect((await call(b.url, 'GET', `/api/rooms/${room.id}/cohosts`)).body).toEqual({ guests: [{ slot: 'g1', user: { id: viewerId, nickname: 'dev-cohost-nodes-vie' } }] }); // dev nicknames are cut to 20 characters
  // this plane cannot sign a ticket that dies with its acceptance: a clear 501, and no guests in the play URLs
  const push = await call(b.url, 'POST', `/api/rooms/${room.id}/cohosts/push`, { token: viewerToken });
  expect([push.status, push.body.error.code]).toEqual([501, 'cohost_unsupported']);
  expect((await call(b.url, 'GET', `/api/rooms/${room.id}/play`)).body.play.guests).toBeUndefined();

  sent = Date.now();
  onB.send({ type: 'cohost_leave' });
  await onA.next('cohosts', (f) => f.guests.length === 0, 2000);
  expect(Date.now() - sent).toBeLessThan(BOUND_MS);
}, 30_000);
