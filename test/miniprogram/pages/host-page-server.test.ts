/** @jest-environment ./test/miniprogram/helpers/jsdom-node-env.ts */
// The host page end to end against the real server: wx.request is real HTTP (nodeWx) to startTestServer(),
// the page's push URL is published with ffmpeg as live-pusher would, the pusher's state codes are dispatched
// as the SDK sends them, and the server's view of the room is checked at each step.
import { execFileSync } from 'node:child_process';
import { CONFIG } from '../../../miniprogram/config';
import { createApi } from '../../../miniprogram/services/client';
import { SESSION_KEY, type StoredSession } from '../../../miniprogram/services/session';
import { killAll, publish } from '../../helpers/ffmpeg';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { until as waitUntil, within } from '../../helpers/wait';
import { nodeWx } from '../helpers/node-wx';
import { $, fire, renderPage, simWx, stubBuiltin, text, until, useWxPort, type SimComponent, useLanguage } from '../helpers/simulate';

stubBuiltin('live-pusher', { url: String, mode: String, autopush: Boolean });

const HOST_CODE = 'host-page-e2e';
let s: TestServer;
let shim: ReturnType<typeof nodeWx>;
let calls: string[];
let screen: boolean[];

beforeAll(async () => {
  s = await startTestServer();
  CONFIG.apiBase = s.url; // before the page's first request creates the app's client
});
afterAll(async () => {
  await killAll();
  await s.stop(true);
});

beforeEach(() => {
  useLanguage('en'); // behaviour in English; the Chinese texts: *-zh.test.ts
  shim = nodeWx(HOST_CODE);
  useWxPort(shim);
  calls = [];
  screen = [];
  const record = (method: string) => (arg?: { success?: () => void }) => { calls.push(method); setTimeout(() => arg?.success?.(), 0); };
  simWx().createLivePusherContext = () => ({ start: record('start'), stop: record('stop') });
  simWx().authorize = (o: { success: () => void }) => { setTimeout(() => o.success(), 0); };
  simWx().setKeepScreenOn = (o: { keepScreenOn: boolean }) => { screen.push(o.keepScreenOn); };
  simWx().showModal = (o: { success: (r: { confirm: boolean }) => void }) => { setTimeout(() => o.success({ confirm: true }), 0); };
});

/** The server's side, through the same client code (same wx.login code → the same host). */
const server = () => createApi(s.url, () => nodeWx(HOST_CODE));
const pusher = (page: SimComponent) => page.querySelector('#pusher')!;
const state = (page: SimComponent, code: number) => fire(pusher(page), 'statechange', { code });
const roomStatus = async (id: string) => (await server().getRoom(id)).status;

/** Form → real POST /api/rooms → Start; returns the page with the push URL the server signed. */
async function createAndStart(title: string): Promise<{ page: SimComponent; id: string; url: string }> {
  const page = renderPage('host');
  await fire(page.querySelector('.title-input')!, 'input', { value: title });
  await fire(page.querySelector('.create')!, 'tap');
  await until(() => page.data.stage === 'ready', 'room created on the server', 5000);
  await fire(page.querySelector('.start')!, 'tap');
  await until(() => calls.includes('start'), 'start()');
  return { page, id: page.data.roomId, url: pusher(page).data.url };
}

test('create a room, publish its push URL, go live, end it: the server follows every step', async () => {
  const { page, id, url } = await createAndStart('Real server show');
  const room = await server().getRoom(id);
  expect(room).toMatchObject({ title: 'Real server show', status: 'idle' });
  expect(room.hostId).toBe((shim.storage.get(SESSION_KEY) as StoredSession).user.id);
  expect(url).toMatch(new RegExp(`^rtmp://127\\.0\\.0\\.1:${s.rtmpPort}/live/${id}\\?expires=\\d+&gen=\\d+&sign=[\\w-]{43}$`));
  expect(text($(page, '.obs-server'))).toBe(`rtmp://127.0.0.1:${s.rtmpPort}/live`);
  expect(`${text($(page, '.obs-server'))}/${text($(page, '.stream-key'))}`).toBe(url);
  expect(text($(page, '.watch-link'))).toBe(`${s.url}/watch/${id}`);

  // start() makes live-pusher publish its url; the SDK reports 1001 then 1002 once the server takes it
  const pub = publish(url);
  await waitUntil(async () => (await roomStatus(id)) === 'live', 15000, 'room live on the server');
  await state(page, 1001);
  await state(page, 1002);
  expect($(page, '.badge-live')).not.toBeNull();
  expect(text($(page, '.status'))).toBe('Live');
  expect(screen).toEqual([true]);

  // End (confirmed) → POST /end: the server ends the room and drops the publisher
  await fire(page.querySelector('.end')!, 'tap');
  await until(() => page.data.stage === 'ended', 'ended on the page', 5000);
  expect(await roomStatus(id)).toBe('ended');
  expect(await within(pub.exited, 10000)).not.toBeNull();
  expect(calls).toEqual(['start', 'stop']);
  expect(screen[screen.length - 1]).toBe(false);
  expect(text($(page, '.ended'))).toContain('Broadcast ended');
  expect(page.querySelector('#pusher')).toBeUndefined();
});

test('ended elsewhere while live: 3004 asks the real server for a fresh ticket, gets room_ended, and stops', async () => {
  const { page, id, url } = await createAndStart('Ended elsewhere');
  const pub = publish(url);
  await waitUntil(async () => (await roomStatus(id)) === 'live', 15000, 'room live on the server');
  await state(page, 1002);

  // the host's other device ends the room; the server closes the publish, which live-pusher reports as 3004
  await server().endRoom(id);
  expect(await within(pub.exited, 10000)).not.toBeNull();
  await state(page, 3004);
  await until(() => page.data.failure !== '', 'failure shown', 5000);
  const refusal = await server().pushTicket(id).then(() => null, (e: Error) => e);
  expect(refusal).toMatchObject({ status: 409, code: 'room_ended' });
  expect(text($(page, '.failure'))).toBe(refusal!.message);
  expect(calls).toEqual(['start', 'stop']);
  expect(page.data.pushing).toBe(false);
  expect($(page, '.badge-live')).toBeNull();
});

test('a cover chosen on the host page is uploaded raw to the real server, which serves it back as a JPEG', async () => {
  const page = renderPage('host');
  await fire(page.querySelector('.title-input')!, 'input', { value: 'With a cover' });
  await fire(page.querySelector('.create')!, 'tap');
  await until(() => page.data.stage === 'ready', 'room created on the server', 5000);
  // a real JPEG, as the album would hand it over (copied into this realm's ArrayBuffer, like readFile's)
  const jpeg = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x36', '-frames:v', '1', '-f', 'mjpeg', 'pipe:1']);
  simWx().chooseMedia = (o: { success: (r: unknown) => void }) => { setTimeout(() => o.success({ tempFiles: [{ tempFilePath: 'wxfile://red.jpg', size: jpeg.length }] }), 0); };
  simWx().getFileSystemManager = () => ({
    readFile: (o: { success: (r: { data: ArrayBuffer }) => void }) => { setTimeout(() => o.success({ data: new Uint8Array(jpeg).buffer }), 0); },
  });
  await fire(page.querySelector('.choose-cover')!, 'tap');
  await until(() => page.data.cover !== '' || page.data.coverError !== '', 'cover uploaded', 5000);
  expect(page.data.coverError).toBe('');
  const id = page.data.roomId as string;
  expect(page.data.cover).toMatch(new RegExp(`^${s.url}/api/rooms/${id}/cover\\?v=`));
  expect((await server().getRoom(id)).cover).toBe(page.data.cover);
  const res = await fetch(page.data.cover as string);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/jpeg');
  const served = new Uint8Array(await res.arrayBuffer());
  expect([...served.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
});
