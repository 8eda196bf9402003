// Scale-out for real: two built server processes (`node dist/server/main.js`) on different ports share one
// CloudBase database (the local wire double) and Tencent Cloud Live. Whatever one node does, the other sees.
// Jest's global setup rebuilds dist/ first when it is older than the sources.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Room } from '../../typings/api';
import { SDK_TEST_ENV, startCloudbaseWireServer, type CloudbaseWireServer } from '../helpers/cloudbase-wire-server';
import { call, login } from '../helpers/http';
import { killAll, spawnServer, type ServerProcess } from '../process/spawn-server';
import { waitFor } from '../helpers/wait';
import { startTencentApiServer, type TencentApiServer } from './wire/tencent-api-server';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const CALLBACK_KEY = 'cb-key-for-two-nodes';
const ADMIN_TOKEN = 'admin-token-shared-by-nodes-0123';

interface Node { base: string; proc: ServerProcess; dataDir: string }

let db: CloudbaseWireServer;
let api: TencentApiServer;
let a: Node;
let b: Node;
/** a port this test listens on, given to both nodes as RTMP_PORT: a node that tried to listen there would fail */
let heldRtmp: Server;

async function startNode(): Promise<Node> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxlive-node-'));
  const proc = spawnServer({
    ...SDK_TEST_ENV,
    HOST: '127.0.0.1', PORT: '0', RTMP_PORT: String((heldRtmp.address() as AddressInfo).port), DATA_DIR: dataDir, LOG_LEVEL: 'warn',
    // every node must share these two, or a session made on A would not verify on B
    SIGNING_SECRET: 'signing-secret-shared-by-every-api-node', ADMIN_TOKEN,
    STORE: 'cloudbase', CLOUDBASE_ENV: db.env, CLOUDBASE_SECRET_ID: db.secretId, CLOUDBASE_SECRET_KEY: db.secretKey,
    CLOUDBASE_SERVICE_URL: db.serviceUrl,
    MEDIA_PROVIDER: 'tencent', TENCENT_PUSH_DOMAIN: 'push.example.com', TENCENT_PLAY_DOMAIN: 'play.example.com',
    TENCENT_PUSH_KEY: 'push-key-two-nodes', TENCENT_PLAY_KEY: 'play-key-two-nodes', TENCENT_CALLBACK_KEY: CALLBACK_KEY,
    TENCENT_SECRET_ID: api.secretId, TENCENT_SECRET_KEY: api.secretKey, TENCENT_API_ENDPOINT: api.endpoint,
    RECONNECT_GRACE_S: '1',
  });
  const { httpPort } = await proc.printedPorts(10_000);
  await proc.healthy(httpPort, 10_000);
  return { base: `http://127.0.0.1:${httpPort}`, proc, dataDir };
}

beforeAll(async () => {
  db = await startCloudbaseWireServer();
  api = await startTencentApiServer();
  heldRtmp = createServer((socket) => socket.destroy());
  await new Promise<void>((r) => heldRtmp.listen(0, '127.0.0.1', r));
  [a, b] = await Promise.all([startNode(), startNode()]);
}, 30_000);

afterAll(async () => {
  for (const n of [a, b]) {
    if (!n) continue;
    await n.proc.stop();
    rmSync(n.dataDir, { recursive: true, force: true });
  }
  killAll();
  heldRtmp?.close();
  await db?.close();
  await api?.close();
});

/** each callback gets its own t (CSS sets it ahead of the send time) */
let nextT = Math.floor(Date.now() / 1000) + 300;
function callback(eventType: 0 | 1, streamId: string) {
  const t = nextT++;
  return { stream_id: streamId, channel_id: streamId, appname: 'live', event_type: eventType,
    event_time: Math.floor(Date.now() / 1000), t, sign: md5(CALLBACK_KEY + t) };
}
const roomOn = async (n: Node, id: string): Promise<Room> => (await call(n.base, 'GET', `/api/rooms/${id}`)).body.room;


test('a room created on node A is listed, played, re-ticketed and ended on node B', async () => {
  const token = await login(a.base, 'two-node-host');
  const created = await call(a.base, 'POST', '/api/rooms', { token, body: { title: 'made on A' } });
  expect(created.status).toBe(201);
  const id = created.body.room.id as string;

  const listed = await call(b.base, 'GET', '/api/rooms?status=idle&limit=100');
  expect(listed.body.rooms.map((r: Room) => r.id)).toContain(id);
  const play = await call(b.base, 'GET', `/api/rooms/${id}/play`);
  expect(play.status).toBe(200);
  expect(play.body.play.flv).toMatch(new RegExp(`^https://play\\.example\\.com/live/${id}\\.flv\\?txSecret=[0-9a-f]{32}&txTime=[0-9A-F]+$`));
  // the session token made by A is good on B (shared SIGNING_SECRET)
  const push = await call(b.base, 'POST', `/api/rooms/${id}/push`, { token });
  expect(push.status).toBe(200);
  expect(push.body.push.server).toBe('rtmp://push.example.com/live');

  const ended = await call(b.base, 'POST', `/api/rooms/${id}/end`, { token });
  expect(ended.status).toBe(200);
  expect(ended.body.room.status).toBe('ended');
  const onA = await roomOn(a, id);
  expect(onA).toEqual(ended.body.room);
  const again = await call(a.base, 'POST', `/api/rooms/${id}/end`, { token });
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('room_ended');
  const playAfter = await call(a.base, 'GET', `/api/rooms/${id}/play`);
  expect(playAfter.status).toBe(409);
});

test('a live transition on A is seen by B; the end callback on B ends the room after the grace, for both', async () => {
  const token = await login(b.base, 'two-node-host-2');
  const id = (await call(b.base, 'POST', '/api/rooms', { token, body: { title: 'goes live via A' } })).body.room.id as string;

  api.streams.set(id, 'active');
  const begin = callback(1, id);
  const began = await call(a.base, 'POST', '/api/hooks/tencent', { body: begin });
  expect(began.body).toEqual({ code: 0 });
  const live = await roomOn(b, id);
  expect(live.status).toBe('live');
  expect((await call(b.base, 'GET', '/api/rooms?status=live&limit=100')).body.rooms.map((r: Room) => r.id)).toContain(id);

  // CSS may deliver its retry to the other node: nothing changes
  expect((await call(b.base, 'POST', '/api/hooks/tencent', { body: begin })).body).toEqual({ code: 0 });
  expect(await roomOn(a, id)).toEqual(live);
  // the pair A saw, put on another event, is refused by B too: the pairs are kept in the shared store
  const replayed = await call(b.base, 'POST', '/api/hooks/tencent', { body: { ...begin, event_type: 0 } });
  expect([replayed.status, replayed.body.error.code]).toEqual([401, 'callback_replayed']);
  expect(await roomOn(a, id)).toEqual(live);

  api.streams.set(id, 'inactive');
  expect((await call(b.base, 'POST', '/api/hooks/tencent', { body: callback(0, id) })).body).toEqual({ code: 0 });
  expect((await roomOn(a, id)).status).toBe('live'); // grace: the host may come back
  const ended = await waitFor(async () => { const r = await roomOn(b, id); return r.status === 'ended' ? r : null; }, 8000);
  expect(ended.startedAt).toBe(live.startedAt);
  expect(await roomOn(a, id)).toEqual(ended); // both sweepers ran; one conditional write won
});

test('two nodes ending the same room at once: one 200, one 409', async () => {
  const token = await login(a.base, 'two-node-host-3');
  for (let i = 0; i < 3; i++) {
    const id = (await call(a.base, 'POST', '/api/rooms', { token, body: { title: `race ${i}` } })).body.room.id as string;
    const replies = await Promise.all([a, b].map((n) => call(n.base, 'POST', `/api/rooms/${id}/end`, { token: ADMIN_TOKEN })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
  }
});

test('neither node runs an RTMP listener; a CloudBase failure is a 503 with the request id in the node log', async () => {
  // both came up with RTMP_PORT held by this test (an RTMP listener would have exited 1, "port … in use"),
  // and the OBS URL they print is Tencent's
  for (const n of [a, b]) {
    expect(n.proc.child.exitCode).toBeNull();
    expect((await call(n.base, 'GET', '/healthz')).status).toBe(200);
    expect(await n.proc.printedPorts()).toEqual({ httpPort: Number(new URL(n.base).port), rtmpPort: null });
    expect(n.proc.stderr()).toContain('OBS server     rtmp://push.example.com/live');
  }
  // on the room listing only: the nodes' background queries (webhooks, stats, the sweepers' queries of
  // rooms) must not take the fault first
  db.inject({ kind: 'tcb', code: 'SYS_ERR', message: 'system error', collection: 'rooms', orderedBy: 'createdAt' });
  const r = await call(a.base, 'GET', '/api/rooms');
  expect(r.status).toBe(503);
  expect(r.body.error.code).toBe('store_unavailable');
  const line = await waitFor(async () => a.proc.stdout().split('\n').find((l) => l.includes('"cloudbaseCode":"SYS_ERR"')) ?? null, 2000);
  expect(JSON.parse(line).cloudbaseRequestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(a.proc.stdout() + a.proc.stderr()).not.toContain(db.secretKey);
  expect((await call(a.base, 'GET', '/api/rooms')).status).toBe(200); // and it recovers
});
