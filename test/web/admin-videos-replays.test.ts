// A room's replays from the admin console's rooms table, in Chromium against a real server: ffmpeg broadcasts, the
// host ends the room, the admin opens its replays, hides the replay (the public list drops it, its signed MP4 still
// plays for the admin) and publishes it again.
import type { Replay, ReplayListResponse } from '../../typings/vod';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { call, createRoom } from '../helpers/http';
import { fetchFinishedReplay, publishLive, untilSegments } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { visibleText } from './fixtures';

jest.setTimeout(90_000);
let s: TestServer;
let browser: TestBrowser;
beforeAll(async () => {
  [s, browser] = await Promise.all([startTestServer({ HLS_FRAGMENT_S: '1' }), launchBrowser({ locale: 'zh-CN' })]);
});
afterAll(async () => {
  await browser?.close();
  await s?.stop(true);
});

const publicReplays = async (roomId: string): Promise<Replay[]> =>
  (await call<ReplayListResponse>(s.url, 'GET', `/api/rooms/${roomId}/replays`)).body.replays;

test('the admin opens an ended room\'s replays, hides one and publishes it again', async () => {
  const { token, room, push } = await createRoom(s.url, '回放管理', 'admin-replay-host');
  const idle = await createRoom(s.url, '未开播', 'admin-replay-host');
  const publisher = await publishLive(s.url, room.id, push.url);
  const play = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  await untilSegments(play.body.play.hls, 2);
  expect((await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token })).status).toBe(200);
  await publisher.exited;
  const ended = await call(s.url, 'GET', `/api/rooms/${room.id}/play`);
  await fetchFinishedReplay(ended.body.error.replay);
  const [replay] = await publicReplays(room.id);
  expect(replay).toBeDefined();

  const { page, errors } = await browser.newPage();
  await page.goto(`${s.url}/admin`);
  await page.fill('#token', s.config.secrets.adminToken);
  await page.click('#sign-in');
  const roomRow = `#rooms-body tr[data-id="${room.id}"]`;
  await page.waitForSelector(roomRow);
  expect(await page.isDisabled(`#rooms-body tr[data-id="${idle.room.id}"] .replays-button`)).toBe(true);
  expect(await visibleText(page, '#room-replays-pick')).toBe('在上方直播间中点击“回放”，隐藏或公开其回放。');

  await page.click(`${roomRow} .replays-button`);
  const line = `#room-replays-list li[data-broadcast="${replay!.broadcastId}"]`;
  await page.waitForSelector(line);
  expect(await visibleText(page, '#room-replays-title')).toBe(`直播间“回放管理”（${room.id}）的回放`);
  expect(await page.getAttribute(`${roomRow} .replays-button`, 'aria-pressed')).toBe('true');
  expect(await visibleText(page, `${line} .pill`)).toBe('公开');
  expect(await visibleText(page, `${line} .replay-duration`)).toMatch(/^0:0\d$/);
  expect(await page.getAttribute(`${line} .replay-mp4`, 'href')).toBe(replay!.mp4);

  await page.click(`${line} .replay-toggle`);
  await page.waitForSelector(`${line}[data-public="false"]`);
  expect(await visibleText(page, `${line} .pill`)).toBe('已隐藏');
  expect(await publicReplays(room.id)).toEqual([]);
  // hidden: the bare MP4 is refused, the signed one the console now links still plays
  expect((await fetch(replay!.mp4)).status).toBe(404);
  const signed = await page.getAttribute(`${line} .replay-mp4`, 'href');
  expect(signed).toMatch(/\.mp4\?expires=\d+&sign=/);
  const mp4 = await fetch(signed!, { headers: { range: 'bytes=0-7' } });
  expect([mp4.status, mp4.headers.get('content-type')]).toEqual([206, 'video/mp4']);

  await page.click(`${line} .replay-toggle`);
  await page.waitForSelector(`${line}[data-public="true"]`);
  expect((await publicReplays(room.id)).map((r) => r.broadcastId)).toEqual([replay!.broadcastId]);
  expect(await page.isVisible('#room-replays-error')).toBe(false);
  expect(errors).toEqual([]);
  await page.close();
});
