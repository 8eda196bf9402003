// Two API nodes with BUS=redis: two real servers (startTestServer) sharing one database (the CloudBase wire
// double; two servers on one SQLite file are not allowed) and one real redis-server. A viewer on node B sees
// what happens on node A within 200 ms: messages (the sender's echo with its nonce on A), likes, the room end,
// and moderation: a deleted message, a mute and a ban set on A.
import { keepSdkOnLoopback, startCloudbaseWireServer, type CloudbaseWireServer } from '../helpers/cloudbase-wire-server';
import { call, createRoom, login } from '../helpers/http';
import { startRedisServer, type TestRedis } from '../helpers/redis-server';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { CLOSE_ROOM_GONE } from '../../typings/chat';
import { TestSocket } from './chat-server';
import { startTencentApiServer, type TencentApiServer } from '../scale/wire/tencent-api-server';

let redis: TestRedis;
let db: CloudbaseWireServer;
/** the embedded media plane runs once per process: these in-process nodes use Tencent Cloud Live (its API faked) */
let api: TencentApiServer;
let a: TestServer;
let b: TestServer;
const sockets: TestSocket[] = [];

const nodeEnv = () => ({
  BUS: 'redis', REDIS_URL: redis.url,
  STORE: 'cloudbase', CLOUDBASE_ENV: db.env, CLOUDBASE_SECRET_ID: db.secretId, CLOUDBASE_SECRET_KEY: db.secretKey, CLOUDBASE_SERVICE_URL: db.serviceUrl,
  // every node must share these, or a session made on A would not verify on B
  SIGNING_SECRET: 'signing-secret-shared-by-every-api-node', ADMIN_TOKEN: 'admin-token-shared-by-nodes-0123',
  MEDIA_PROVIDER: 'tencent', TENCENT_PUSH_DOMAIN: 'push.example.com', TENCENT_PLAY_DOMAIN: 'play.example.com',
  TENCENT_PUSH_KEY: 'push-key-two-nodes', TENCENT_CALLBACK_KEY: 'cb-key-for-two-nodes',
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

const ws = (srv: TestServer) => srv.url.replace('http', 'ws');

async function join(srv: TestServer, roomId: string, token: string): Promise<TestSocket> {
  const s = new TestSocket(ws(srv), roomId);
  sockets.push(s);
  await s.opened;
  s.send({ type: 'auth', token });
  await s.next('hello');
  return s;
}

test('a message, likes and the room end cross from node A to node B within 200 ms', async () => {
  const { token: host, room } = await createRoom(a.url, 'two nodes', 'nodes-host');
  const viewer = await login(b.url, 'nodes-viewer');
  const onA = await join(a, room.id, host);
  const onB = await join(b, room.id, viewer);
  await new Promise((r) => setTimeout(r, 100)); // B's subscription reaches Redis

  let sent = Date.now();
  onA.send({ type: 'say', text: 'from node A', nonce: 'n-a' });
  const got = await onB.next('message', (m) => m.text === 'from node A', 2000);
  expect(Date.now() - sent).toBeLessThan(200);
  expect(got.nonce).toBeUndefined();
  expect((await onA.next('message', (m) => m.text === 'from node A')).nonce).toBe('n-a');

  sent = Date.now();
  onB.send({ type: 'say', text: 'from node B', nonce: 'n-b' });
  await onA.next('message', (m) => m.text === 'from node B', 2000);
  expect(Date.now() - sent).toBeLessThan(200);

  sent = Date.now();
  onA.send({ type: 'like', count: 7 });
  await onB.next('likes', (l) => l.total >= 7, 2000);
  expect(Date.now() - sent).toBeLessThan(500); // likes are stored, then sent at most 4 per second

  sent = Date.now();
  expect((await call(a.url, 'POST', `/api/rooms/${room.id}/end`, { token: host })).status).toBe(200);
  await onB.next('state', (s) => s.status === 'ended', 2000);
  expect((await onB.closed).code).toBe(CLOSE_ROOM_GONE);
  expect(Date.now() - sent).toBeLessThan(200);
}, 20_000);

test('a deletion, a mute and a ban set on node A hold on node B within 200 ms', async () => {
  const { token: host, room } = await createRoom(a.url, 'two nodes moderated', 'nodes-host-2');
  const signedIn = await call(b.url, 'POST', '/api/auth/login', { body: { code: 'nodes-viewer-2' } });
  const viewer: string = signedIn.body.token;
  const me: string = signedIn.body.user.id;
  const onA = await join(a, room.id, host);
  const onB = await join(b, room.id, viewer);
  const watcher = await join(b, room.id, await login(b.url, 'nodes-watcher-2'));
  await new Promise((r) => setTimeout(r, 100)); // B's subscription reaches Redis

  onB.send({ type: 'say', text: 'to be deleted', nonce: 'd1' });
  const said = await onA.next('message', (m) => m.text === 'to be deleted', 2000);
  let sent = Date.now();
  expect((await call(a.url, 'DELETE', `/api/rooms/${room.id}/messages/${said.id}`, { token: host })).status).toBe(200);
  await watcher.next('deleted', (d) => d.id === said.id, 2000);
  expect(Date.now() - sent).toBeLessThan(200);

  expect((await call(a.url, 'POST', `/api/rooms/${room.id}/mutes`, { token: host, body: { userId: me, minutes: 10 } })).status).toBe(200);
  sent = Date.now();
  onB.send({ type: 'say', text: 'muted on B?', nonce: 'm1' });
  await onB.next('notice', (n) => n.code === 'muted', 2000);
  expect(Date.now() - sent).toBeLessThan(200);

  sent = Date.now();
  expect((await call(a.url, 'POST', `/api/rooms/${room.id}/bans`, { token: host, body: { userId: me } })).status).toBe(200);
  expect((await onB.closed).code).toBe(4001);
  expect(Date.now() - sent).toBeLessThan(300);
  await new Promise((r) => setTimeout(r, 100));
  // nothing the muted and banned user sent reached anyone on either node
  expect([...onA.of('message'), ...watcher.of('message')].map((m) => m.text)).not.toContain('muted on B?');
}, 20_000);
