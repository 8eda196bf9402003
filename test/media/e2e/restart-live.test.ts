// A server restart while a room is live (real server, real ffmpeg encoder, same DATA_DIR): nobody is publishing
// after the restart, so the room's reconnect grace runs. (a) The encoder does not come back: the room ends once
// RECONNECT_GRACE_S has passed since it was lost, not before. (b) It comes back inside the grace: the same
// broadcast goes on live. Only one embedded RTMP server runs per process, so each test stops one before the next.
import Database from 'better-sqlite3';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminStatsResponse } from '../../../typings/api';
import { killAll, publish } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { FlvWatcher, getRoom, until, untilStatus } from './e2e-kit';

const running: TestServer[] = [];
const viewers: FlvWatcher[] = [];
afterEach(async () => {
  for (const v of viewers.splice(0)) v.close();
  await killAll();
  for (const s of running.splice(0)) await s.stop(false).catch(() => undefined);
});
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function start(env: Record<string, string>): Promise<TestServer> {
  const s = await startTestServer({ HLS_FRAGMENT_S: '1', ...env });
  running.push(s);
  if (!dirs.includes(s.dataDir)) dirs.push(s.dataDir);
  return s;
}

async function stop(s: TestServer): Promise<void> {
  await s.stop(false);
  running.splice(running.indexOf(s), 1);
}

/** when the room's publisher was recorded as gone (ms), read from the server's database; null while connected */
function disconnectedAt(s: TestServer, roomId: string): number | null {
  const db = new Database(join(s.dataDir, 'wxlive.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT disconnected_at AS t FROM rooms WHERE id = ?').get(roomId) as { t: number | null }).t;
  } finally {
    db.close();
  }
}

/** A live room on a fresh server, then that server stopped under its encoder; returns what the restart needs. */
async function liveThenStopped(graceS: number) {
  const first = await start({ RECONNECT_GRACE_S: String(graceS) });
  const { room, push } = await createRoom(first.url, 'live across a restart');
  const encoder = publish(push.url, { gop: 25 });
  await untilStatus(first.url, room.id, 'live', 8000);
  const before = await getRoom(first.url, room.id);
  const lostAt = Date.now();
  await stop(first);
  await encoder.stop(); // whatever the encoder made of the dropped connection, it is gone now
  return { first, room: before, push, lostAt };
}

test('(a) the encoder does not come back: the room ends after RECONNECT_GRACE_S, not before', async () => {
  const GRACE_S = 3;
  const { first, room, lostAt } = await liveThenStopped(GRACE_S);
  const second = await start({ DATA_DIR: first.dataDir, RTMP_PORT: String(first.rtmpPort), RECONNECT_GRACE_S: String(GRACE_S) });
  // restarted: nobody publishes, the grace runs, the room is still live
  const since = disconnectedAt(second, room.id);
  expect(since).not.toBeNull();
  expect(since!).toBeGreaterThanOrEqual(lostAt);
  expect((await getRoom(second.url, room.id)).status).toBe('live');

  await untilStatus(second.url, room.id, 'ended', GRACE_S * 1000 + 4000);
  const ended = await getRoom(second.url, room.id);
  expect(Date.parse(ended.endedAt!) - since!).toBeGreaterThanOrEqual(GRACE_S * 1000);
  expect(ended.startedAt).toBe(room.startedAt);
  const play = await call(second.url, 'GET', `/api/rooms/${room.id}/play`);
  expect([play.status, play.body.error.code]).toEqual([409, 'room_ended']);
  expect(play.body.error.replay).toMatch(new RegExp(`/replay/${room.id}/[0-9A-Za-z]{10}/index\\.m3u8$`));
}, 40000);

test('(b) the encoder comes back inside the grace: the same broadcast stays live past the grace', async () => {
  const GRACE_S = 6;
  const { first, room, push, lostAt } = await liveThenStopped(GRACE_S);
  const second = await start({ DATA_DIR: first.dataDir, RTMP_PORT: String(first.rtmpPort), RECONNECT_GRACE_S: String(GRACE_S) });
  const since = disconnectedAt(second, room.id);
  expect(since).not.toBeNull(); // the grace runs…
  // …until the encoder reconnects to the same URL with the same ticket
  const encoderBackAt = Date.now();
  publish(push.url, { gop: 25 });
  const stats = async () => (await call<AdminStatsResponse>(second.url, 'GET', '/api/admin/stats',
    { token: second.config.secrets.adminToken })).body.streams.find((x) => x.roomId === room.id);
  await until(async () => (await stats())?.publisher != null, 8000, 'the encoder to be back');
  await until(() => disconnectedAt(second, room.id) === null, 3000, 'the grace to be cancelled');

  // the stream keeps flowing to a viewer past the moment the grace would have ended the room (an ended room
  // closes its viewers): wait for media the encoder produced a sweep after that deadline
  const viewer = await FlvWatcher.open((await call(second.url, 'GET', `/api/rooms/${room.id}/play`)).body.play.flv);
  viewers.push(viewer);
  expect(viewer.status).toBe(200);
  const deadlineInStream = since! + GRACE_S * 1000 + 1500 - encoderBackAt; // ms of encoder time (ffmpeg -re)
  await until(() => viewer.media().some((t) => t.timestamp >= deadlineInStream) || viewer.ended,
    GRACE_S * 1000 + 8000, 'media from after the grace deadline');
  expect(viewer.ended).toBe(false);
  const now = await getRoom(second.url, room.id);
  expect([now.status, now.startedAt, now.endedAt]).toEqual(['live', room.startedAt, null]);
  expect(readdirSync(join(second.dataDir, 'hls', room.id))).toHaveLength(1); // one broadcast, resumed
}, 50000);
