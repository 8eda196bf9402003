// Issue 3 end to end: ending a live room (host: POST /api/rooms/:id/end, admin: POST /api/admin/rooms/:id/end)
// disconnects its publisher (ffmpeg exits), its HTTP-FLV viewer and its RTMP player within 2 s, and leaves a
// finished replay.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, publish, rtmpdump } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { checkPlaylist, FlvWatcher, playUrls, until, untilStatus, within } from './e2e-kit';

let s: TestServer;
const watchers: FlvWatcher[] = [];
const dir = mkdtempSync(join(tmpdir(), 'wxlive-e2e-end-'));

beforeAll(async () => {
  s = await startTestServer({ HLS_FRAGMENT_S: '1' });
}, 20000);

afterAll(async () => {
  for (const w of watchers) w.close();
  await killAll();
  await s?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const CASES = [
  { who: 'the host', path: (id: string) => `/api/rooms/${id}/end`, token: (host: string) => host },
  { who: 'an admin', path: (id: string) => `/api/admin/rooms/${id}/end`, token: () => s.config.secrets.adminToken },
];

test.each(CASES)('ended by $who: publisher, FLV viewer and RTMP player are disconnected within 2 s', async ({ who, path, token }) => {
  const { room, push, token: host } = await createRoom(s.url, `ended by ${who}`, who === 'the host' ? 'host-x' : 'host-y');
  const pub = publish(push.url, { gop: 25 });
  await untilStatus(s.url, room.id, 'live', 5000);
  const play = await playUrls(s.url, room.id);
  const viewer = await FlvWatcher.open(play.flv);
  watchers.push(viewer);
  const out = join(dir, `${room.id}.flv`);
  const player = rtmpdump(play.rtmp, out, 30);
  const size = () => { try { return statSync(out).size; } catch { return 0; } };
  await until(() => viewer.media().length > 10 && size() > 10_000, 8000, 'both players to receive media');

  const t0 = Date.now();
  const r = await call(s.url, 'POST', path(room.id), { token: token(host) });
  expect([r.status, r.body.room.status]).toEqual([200, 'ended']);
  const gone = await within(Promise.all([pub.exited, viewer.closed, player.exited]), 2000);
  expect(gone).not.toBeNull();
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(viewer.ended).toBe(true);
  // nothing may reconnect to the ended room; what was broadcast is a finished replay
  expect((await fetch(play.flv)).status).toBe(409);
  const ended = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  expect([ended.status, ended.body.error.code]).toEqual([409, 'room_ended']);
  const replay = ended.body.error.replay as string;
  const text = await (await fetch(replay)).text();
  const sub = join(dir, room.id);
  mkdirSync(sub);
  const { list, problems } = await checkPlaylist(replay, text, sub, ['video', 'audio']);
  expect(problems).toEqual([]);
  expect([list.playlistType, list.endlist, list.segments.length > 0]).toEqual(['VOD', true, true]);
}, 25000);
