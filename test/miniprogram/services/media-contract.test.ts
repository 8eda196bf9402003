// The URLs the mini-program's client gets work with real media peers: ffmpeg publishes to the push URL
// (what live-pusher does), the room goes live, the FLV play URL (what live-player opens) carries H.264 + AAC,
// and ending the room turns play into 409 room_ended with a replay.
import { createApi } from '../../../miniprogram/services/client';
import { ffprobeJson, killAll, publish } from '../../helpers/ffmpeg';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { nodeWx } from '../helpers/node-wx';

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => {
  await killAll();
  await s.stop(true);
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('push URL → live room → playable FLV → ended with replay', async () => {
  const shim = nodeWx('media-host');
  const api = createApi(s.url, () => shim);
  const { room, push } = await api.createRoom({ title: 'Media contract' });
  const pub = publish(push.url);
  await until(async () => (await api.getRoom(room.id)).status === 'live', 'room live');

  const play = await api.playUrls(room.id);
  const probe = await ffprobeJson(play.flv);
  expect(probe.streams.map((x) => x.codec_name).sort()).toEqual(['aac', 'h264']);

  // the home list shows it among live rooms
  const live = await api.listRooms({ status: 'live' });
  expect(live.rooms.map((r) => r.id)).toContain(room.id);

  await api.endRoom(room.id);
  await pub.exited;
  const err = await api.playUrls(room.id).catch((e) => e);
  expect(err).toMatchObject({ status: 409, code: 'room_ended' });
  expect(err.replay).toMatch(new RegExp(`/replay/${room.id}/[0-9A-Za-z]+/index\\.m3u8$`));
});
