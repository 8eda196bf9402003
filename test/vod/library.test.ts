// The library folder and the catalog: a file copied in appears (only once it stops growing), a removed one drops
// out, unsupported or broken files are never listed; private videos need their play signature.
import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SqliteVideoStore } from '../../server/store/sqlite/sqlite-video-store';
import { LibraryScanner } from '../../server/vod/library-scanner';
import { VideoCatalog } from '../../server/vod/video-catalog';
import { sleep, until } from '../helpers/wait';
import { fixture } from './media-fixtures';

jest.setTimeout(60_000);
let dir: string;
let media: string;
let store: SqliteVideoStore;
let catalog: VideoCatalog;
let scanner: LibraryScanner;

beforeAll(() => { media = mkdtempSync(join(tmpdir(), 'wxlive-libmedia-')); });
afterAll(() => rmSync(media, { recursive: true, force: true }));
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-lib-'));
  store = new SqliteVideoStore(join(dir, 'wxlive.db'));
  catalog = new VideoCatalog({ store, root: join(dir, 'vod'), signingSecret: 's'.repeat(32), playTtlS: 60, log: pino({ level: 'silent' }) });
  scanner = new LibraryScanner(catalog, { rescanMs: 60_000, settleMs: 300 });
  await scanner.start();
});
afterEach(async () => {
  await scanner.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = async () => (await catalog.list(false, 50)).videos.map((v) => v.name).sort();

test('a copied-in file is listed with its probe; a removed one drops out (watch, no rescan needed)', async () => {
  copyFileSync(await fixture(media, 'good.mp4'), join(dir, 'vod', 'a.mp4'));
  copyFileSync(await fixture(media, 'good.flv'), join(dir, 'vod', 'b.flv'));
  await until(async () => (await names()).length === 2, 10_000, 'both videos listed');
  const found = await catalog.byName('b.flv');
  expect(found?.path).toBe(join(dir, 'vod', 'b.flv'));
  expect(found?.video).toMatchObject({ format: 'flv', video: { codec: 'h264', width: 320, height: 240 }, public: true, title: 'b' });
  expect((await catalog.byId(found!.video.id))?.video.name).toBe('b.flv');
  unlinkSync(join(dir, 'vod', 'a.mp4'));
  await until(async () => (await names()).join() === 'b.flv', 10_000, 'a.mp4 dropped');
});

test('a file still being written is not listed until it stops changing; bad files and bad names never are', async () => {
  copyFileSync(await fixture(media, 'mpeg4.mp4'), join(dir, 'vod', 'mpeg4.mp4'));
  copyFileSync(await fixture(media, 'good.mp4'), join(dir, 'vod', '.hidden.mp4'));
  copyFileSync(await fixture(media, 'good.mp4'), join(dir, 'vod', 'notes.txt'));
  const whole = readFileSync(await fixture(media, 'good.flv'));
  const fd = openSync(join(dir, 'vod', 'slow.flv'), 'w');
  for (let off = 0; off < whole.length; off += 8192) {
    writeSync(fd, whole.subarray(off, off + 8192));
    await sleep(50); // a writer that pauses between chunks (each pause shorter than the settle time)
    await scanner.scan();
    expect(await names()).toEqual([]); // never half a file
  }
  closeSync(fd);
  await until(async () => (await names()).join() === 'slow.flv', 10_000, 'slow.flv listed once complete');
  expect((await catalog.byName('slow.flv'))?.video.sizeBytes).toBe(whole.length);
});

test('private: hidden from the public list and get; media needs the signature playUrls issues', async () => {
  copyFileSync(await fixture(media, 'good.mp4'), join(dir, 'vod', 'p.mp4'));
  await until(async () => (await names()).length === 1, 10_000, 'listed');
  const { video } = (await catalog.byName('p.mp4'))!;
  expect(catalog.checkPlay(video, {})).toBeNull();
  const hidden = await catalog.patch(video.id, { public: false, title: 'Secret' });
  expect(hidden).toMatchObject({ public: false, title: 'Secret' });
  expect((await catalog.list(true, 10)).videos).toEqual([]);
  await expect(catalog.get(video.id, false)).rejects.toMatchObject({ code: 'video_not_found' });
  expect((await catalog.get(video.id, true)).id).toBe(video.id);
  expect(catalog.checkPlay(hidden, {})).toMatch(/private/);
  const play = catalog.playUrls(hidden, { http: 'http://h:8080', rtmp: 'rtmp://h:1935/live' });
  expect(play.rtmp).toMatch(new RegExp(`^rtmp://h:1935/vod/p\\.mp4\\?expires=\\d+&sign=`));
  expect(play.hls).toMatch(new RegExp(`^http://h:8080/vod/${video.id}/index\\.m3u8\\?expires=`));
  const query = Object.fromEntries(new URL(play.file).searchParams);
  expect(catalog.checkPlay(hidden, query)).toBeNull();
  expect(catalog.checkPlay({ ...hidden, id: 'otherVideo12' }, query)).toMatch(/bad signature/);
  const pub = catalog.playUrls(video, { http: 'http://h:8080', rtmp: 'rtmp://h:1935/live' });
  expect(pub.file).toBe(`http://h:8080/vod/${video.id}/file`);
  await catalog.remove(video.id);
  expect(await names()).toEqual([]);
  await scanner.scan();
  expect(await names()).toEqual([]); // the file went with it
});

test('an upload that lands while a scan runs keeps its record and id (the scan must not take it for a file gone)', async () => {
  const part = join(dir, 'upload.part');
  copyFileSync(await fixture(media, 'good.flv'), part);
  let landed: string | null = null;
  const all = store.all.bind(store);
  // the upload (file renamed in, then recorded) completes inside the scan, between its look at the records and
  // its look at the folder, in whichever order the scan takes them
  store.all = async () => {
    if (landed === null) landed = (await catalog.addUpload('landed.flv', part)).id;
    return all();
  };
  await scanner.scan();
  store.all = all;
  await scanner.scan();
  await sleep(400); // past settleMs: a file taken for new would be probed and recorded again
  await scanner.scan();
  const found = await catalog.byName('landed.flv');
  expect(found?.video.id).toBe(landed);
  expect(await names()).toEqual(['landed.flv']);
});
