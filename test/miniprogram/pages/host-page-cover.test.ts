/** @jest-environment jsdom */
// The room cover from the host page: a picture from wx.chooseMedia or the pusher's snapshot(), read as bytes,
// checked by its first bytes and its size, sent raw (Content-Type from the bytes) to POST /api/rooms/:id/cover;
// the answer's cover is shown. Nothing is sent for a file that is no JPEG/PNG or is over 2 MB.
import { COVER_MAX_BYTES } from '../../../miniprogram/lib/cover-image';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { $, fire, renderPage, simWx, stubBuiltin, text, until, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-pusher', { url: String });
stubBuiltin('image', { src: String });

const ROOM = 'CCCCCCCCCCC1';
const COVER = `http://127.0.0.1:8080/api/rooms/${ROOM}/cover?v=0123abcd`;
// a JPEG's start of image + APP0 marker, a PNG's signature + IHDR length: what the sniffing looks at
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const GIF = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00]);

let fake: FakeWx;
let files: Map<string, Uint8Array>;
let chosen: string | null;
let calls: string[];
let page: SimComponent;

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  files = new Map([['wxfile://album.jpg', JPEG], ['wxfile://snap.png', PNG], ['wxfile://anim.jpg', GIF]]);
  chosen = 'wxfile://album.jpg';
  calls = [];
  simWx().chooseMedia = (o: { success: (r: unknown) => void; fail: (e: unknown) => void }) => {
    calls.push('chooseMedia');
    setTimeout(() => (chosen ? o.success({ tempFiles: [{ tempFilePath: chosen, size: files.get(chosen)!.byteLength }] }) : o.fail?.({ errMsg: 'chooseMedia:fail cancel' })), 0);
  };
  simWx().getFileSystemManager = () => ({
    readFile: (o: { filePath: string; success: (r: { data: ArrayBuffer }) => void; fail: (e: unknown) => void }) => {
      const bytes = files.get(o.filePath);
      setTimeout(() => (bytes ? o.success({ data: bytes.slice().buffer }) : o.fail({ errMsg: 'readFile:fail no such file' })), 0);
    },
  });
  simWx().createLivePusherContext = () => ({
    startPreview: () => undefined,
    snapshot: (o: { success: (r: { tempImagePath: string }) => void }) => { calls.push('snapshot'); setTimeout(() => o.success({ tempImagePath: 'wxfile://snap.png' }), 0); },
  });
  fake.on('POST /api/auth/login', { status: 200, body: fx.login('host-token') });
  fake.on('POST /api/rooms', { status: 201, body: fx.created(ROOM, 'Cover') });
  fake.on(`POST /api/rooms/${ROOM}/cover`, { status: 200, body: { room: fx.room({ id: ROOM, status: 'idle', cover: COVER }) } });
});

const uploads = () => fake.to(`/api/rooms/${ROOM}/cover`);

async function ready(): Promise<void> {
  page = renderPage('host');
  await fire(page.querySelector('.title-input')!, 'input', { value: 'Cover' });
  await fire(page.querySelector('.create')!, 'tap');
  await until(() => page.data.stage === 'ready', 'room created');
  expect($(page, '.cover-thumb')).toBeNull();
}

test('a picture from the album is sent as its own bytes, typed by them, with the host\'s token; the new cover shows', async () => {
  await ready();
  await fire(page.querySelector('.choose-cover')!, 'tap');
  await until(() => page.data.cover !== '', 'cover set');
  expect(calls).toEqual(['chooseMedia']);
  const [req] = uploads();
  expect(req.method).toBe('POST');
  expect(req.header['Content-Type']).toBe('image/jpeg');
  expect(req.header.Authorization).toBe('Bearer host-token');
  expect(req.data).toBeInstanceOf(ArrayBuffer);
  expect([...new Uint8Array(req.data as ArrayBuffer)]).toEqual([...JPEG]);
  expect(page.querySelector('.cover-thumb')!.data.src).toBe(COVER);
});

test('the pusher\'s current frame (snapshot) as the cover: PNG by its signature', async () => {
  await ready();
  await fire(page.querySelector('.snapshot-cover')!, 'tap');
  await until(() => uploads().length === 1, 'upload');
  expect(calls).toEqual(['snapshot']);
  expect(uploads()[0].header['Content-Type']).toBe('image/png');
  await until(() => page.data.cover === COVER, 'cover set');
});

test('a file that is no JPEG or PNG (named .jpg), or is over 2 MB, is refused before anything is sent', async () => {
  await ready();
  chosen = 'wxfile://anim.jpg';
  await fire(page.querySelector('.choose-cover')!, 'tap');
  await until(() => page.data.coverError !== '', 'refused');
  expect(text($(page, '.cover-error'))).toBe('Only JPEG or PNG pictures can be a cover.');
  const big = new Uint8Array(COVER_MAX_BYTES + 1);
  big.set(JPEG);
  files.set('wxfile://big.jpg', big);
  chosen = 'wxfile://big.jpg';
  await fire(page.querySelector('.choose-cover')!, 'tap');
  await until(() => text($(page, '.cover-error')).includes('2 MB'), 'too big');
  expect(uploads()).toHaveLength(0);
  expect($(page, '.cover-thumb')).toBeNull();
});

test('the server\'s refusal is shown as it words it; a cancelled picker is no error', async () => {
  fake.on(`POST /api/rooms/${ROOM}/cover`, { status: 403, body: { error: { code: 'not_room_host', message: 'Only the host may change the cover.' } } });
  await ready();
  chosen = null;
  await fire(page.querySelector('.choose-cover')!, 'tap');
  await until(() => calls.length === 1, 'picker');
  await new Promise((r) => setTimeout(r, 10));
  expect($(page, '.cover-error')).toBeNull();
  chosen = 'wxfile://album.jpg';
  await fire(page.querySelector('.choose-cover')!, 'tap');
  await until(() => page.data.coverError !== '', 'refusal');
  expect(text($(page, '.cover-error'))).toBe('Only the host may change the cover.');
  expect(page.data.coverBusy).toBe(false);
});
