// Issue 11 item 1 over the real server and a real ffmpeg publish: live segments, the live playlist and replays
// answer Range (206, 416 past the end), HEAD and conditional requests (304) the way players and tools rely on,
// ffprobe over HTTP measures a live segment as its EXTINF says, and once the room ends its live URLs answer
// 409 at once, without asking the store (made slow here, and counted); once deleted, its replay is gone at once.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as HLS from 'hls-parser';
import { killAll, ffprobeJson, type ChildHandle } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { publishLive, untilSegments } from '../../helpers/live';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { recorderFs } from '../../../server/media/hls-output/recorder-fs';
import { SqliteRoomStore } from '../../../server/store/sqlite/sqlite-room-store';
import { playUrls, sleep, until } from '../e2e/e2e-kit';

let s: TestServer;
let pub: ChildHandle;
let hls: string;
let roomId: string;
let host: string;
beforeAll(async () => {
  s = await startTestServer({ HLS_FRAGMENT_S: '1', HLS_PLAYLIST_LENGTH_S: '4' });
  const { room, push, token } = await createRoom(s.url, 'http semantics');
  [roomId, host] = [room.id, token];
  pub = await publishLive(s.url, room.id, push.url);
  hls = (await playUrls(s.url, room.id)).hls;
  await untilSegments(hls, 2);
}, 30_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await killAll();
  await s?.stop(true);
});

const bytesOf = async (r: Response) => Buffer.from(await r.arrayBuffer());
const get = (url: string | URL, headers: Record<string, string> = {}, method = 'GET') => fetch(url, { method, headers });

async function liveList(): Promise<{ text: string; list: HLS.types.MediaPlaylist }> {
  const text = await (await get(hls)).text();
  HLS.setOptions({ strictMode: true });
  return { text, list: HLS.parse(text) as HLS.types.MediaPlaylist };
}

/** The checks every body gets: ranges of it, HEAD, 416; `full` is its 200 answer. */
async function expectRanges(url: string | URL, full: Buffer, type: string): Promise<void> {
  const size = full.length;
  const n = Math.min(188, Math.floor(size / 2));
  const first = await get(url, { range: `bytes=0-${n - 1}` });
  expect([first.status, first.headers.get('content-range'), first.headers.get('content-length')]).toEqual([206, `bytes 0-${n - 1}/${size}`, String(n)]);
  expect((await bytesOf(first)).equals(full.subarray(0, n))).toBe(true);
  const last = await get(url, { range: `bytes=-${n}` });
  expect([last.status, last.headers.get('content-range')]).toEqual([206, `bytes ${size - n}-${size - 1}/${size}`]);
  expect((await bytesOf(last)).equals(full.subarray(size - n))).toBe(true);
  const tail = await get(url, { range: `bytes=${size - 7}-` });
  expect([tail.status, (await bytesOf(tail)).equals(full.subarray(size - 7))]).toEqual([206, true]);
  const over = await get(url, { range: `bytes=${size - 5}-${size + 1000}` }); // an end past the size is cut to it
  expect([over.status, over.headers.get('content-range')]).toEqual([206, `bytes ${size - 5}-${size - 1}/${size}`]);
  await over.arrayBuffer();
  const past = await get(url, { range: `bytes=${size}-` });
  expect([past.status, past.headers.get('content-range')]).toEqual([416, `bytes */${size}`]);
  expect(await past.json()).toEqual({ error: { code: 'range_not_satisfiable', message: expect.any(String) } });
  const several = await get(url, { range: 'bytes=0-1,5-6' }); // may be answered whole
  expect([several.status, (await bytesOf(several)).equals(full)]).toEqual([200, true]);
  const head = await get(url, {}, 'HEAD');
  expect([head.status, head.headers.get('content-length'), head.headers.get('content-type'), (await bytesOf(head)).length])
    .toEqual([200, String(size), type, 0]);
  const headRange = await get(url, { range: 'bytes=10-19' }, 'HEAD');
  expect([headRange.status, headRange.headers.get('content-length'), headRange.headers.get('content-range')]).toEqual([206, '10', `bytes 10-19/${size}`]);
}

/** ETag and Last-Modified, each revalidating to 304; a stale ETag gets the body. */
async function expectConditional(url: string | URL, full: Response): Promise<void> {
  const etag = full.headers.get('etag')!;
  const modified = full.headers.get('last-modified')!;
  expect(etag).toMatch(/^"[^"]+"$/);
  expect(new Date(modified).getTime()).toBeGreaterThan(Date.now() - 3600_000);
  const conditions: Record<string, string>[] = [{ 'if-none-match': etag }, { 'if-modified-since': modified }, { 'if-none-match': `"x", ${etag}` }];
  for (const h of conditions) {
    const r = await get(url, h);
    expect([r.status, (await bytesOf(r)).length, r.headers.get('etag')]).toEqual([304, 0, etag]);
  }
  const stale = await get(url, { 'if-none-match': '"something-else"' });
  expect([stale.status, (await bytesOf(stale)).length]).toEqual([200, Number(full.headers.get('content-length'))]);
  const head304 = await get(url, { 'if-none-match': etag }, 'HEAD');
  expect(head304.status).toBe(304);
  // a range of another version than the one the client holds a part of is not served: the whole body is
  const ifRange = await get(url, { range: 'bytes=0-9', 'if-range': '"another-version"' });
  expect([ifRange.status, (await bytesOf(ifRange)).length]).toEqual([200, Number(full.headers.get('content-length'))]);
  const sameRange = await get(url, { range: 'bytes=0-9', 'if-range': etag });
  expect([sameRange.status, (await bytesOf(sameRange)).length]).toEqual([206, 10]);
}

test('a live segment: 200 with validators and Accept-Ranges; 206, 416, HEAD and 304 as RFC 9110 says', async () => {
  const { list } = await liveList();
  const url = new URL(list.segments[0]!.uri, hls);
  const res = await get(url);
  const full = await bytesOf(res);
  expect([res.status, res.headers.get('content-type'), res.headers.get('accept-ranges'), res.headers.get('access-control-allow-origin')])
    .toEqual([200, 'video/mp2t', 'bytes', '*']);
  expect(full.length).toBeGreaterThan(1000);
  expect(full.length % 188).toBe(0);
  expect(full.every((b, i) => i % 188 !== 0 || b === 0x47)).toBe(true);
  await expectRanges(url, full, 'video/mp2t');
  await expectConditional(url, res);
}, 30_000);

test('the live playlist: signed URIs, no-cache, ranges and HEAD; no validators (it changes every segment)', async () => {
  const res = await get(hls);
  const full = await bytesOf(res);
  expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control'), res.headers.get('accept-ranges'), res.headers.get('etag')])
    .toEqual([200, 'application/vnd.apple.mpegurl', 'no-cache', 'bytes', null]);
  const uris = full.toString().split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  expect(uris.length).toBeGreaterThanOrEqual(2);
  const sig = new URL(hls).search;
  for (const u of uris) expect(u).toMatch(new RegExp(`^\\d+\\.ts${sig.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  // another viewer's ticket gets its own signature in the same playlist version
  const other = new URL(hls);
  other.searchParams.set('sign', 'x'.repeat(64));
  expect((await get(other)).status).toBe(403);
  const first = await get(hls, { range: 'bytes=0-6' });
  expect([first.status, await first.text()]).toEqual([206, '#EXTM3U']);
  const head = await get(hls, {}, 'HEAD');
  expect([head.status, Number(head.headers.get('content-length'))]).toEqual([200, expect.any(Number)]);
  expect(Number(head.headers.get('content-length'))).toBeGreaterThan(50);
  const past = await get(hls, { range: 'bytes=100000-' });
  expect([past.status, past.headers.get('content-range')?.startsWith('bytes */')]).toEqual([416, true]);
}, 30_000);

test('ffprobe over HTTP reads a live segment URL and measures it as its EXTINF says (within 0.1 s)', async () => {
  const { list } = await liveList();
  const seg = list.segments[0]!;
  const probe = await ffprobeJson(new URL(seg.uri, hls).toString());
  expect(probe.streams.map((x) => x.codec_type).sort()).toEqual(['audio', 'video']);
  expect(Math.abs(Number(probe.format?.duration) - seg.duration)).toBeLessThan(0.1);
}, 30_000);

test('after the end: live URLs answer 409 at once without a store read; the replay has ranges, HEAD and 304', async () => {
  const { list } = await liveList();
  const segUrl = new URL(list.segments[list.segments.length - 1]!.uri, hls);
  expect((await get(segUrl)).status).toBe(200);
  const ended = await call(s.url, 'POST', `/api/rooms/${roomId}/end`, { token: host });
  expect(ended.status).toBe(200);
  await pub.exited;

  // the store is made slow and counted: an ended room's media requests must not wait for it
  const realGet = SqliteRoomStore.prototype.get;
  let count = 0;
  const reads = jest.spyOn(SqliteRoomStore.prototype, 'get').mockImplementation(async function (this: SqliteRoomStore, id: string) {
    count++;
    await new Promise((r) => setTimeout(r, 3000));
    return realGet.call(this, id);
  });
  try {
    for (const url of [segUrl, new URL(hls)]) {
      for (let i = 0; i < 5; i++) {
        const t0 = Date.now();
        const r = await get(url);
        const body = await r.json();
        expect([r.status, body.error.code]).toEqual([409, 'room_ended']);
        expect(Date.now() - t0).toBeLessThan(1000);
      }
    }
    expect(count).toBe(0);
  } finally {
    reads.mockRestore();
  }

  const play = await call(s.url, 'GET', `/api/rooms/${roomId}/play`);
  const replay = play.body.error.replay as string;
  const res = await get(replay);
  const text = await bytesOf(res);
  expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([200, 'application/vnd.apple.mpegurl', 'no-cache']);
  expect(text.toString()).toMatch(/#EXT-X-ENDLIST\n$/);
  await expectRanges(replay, text, 'application/vnd.apple.mpegurl');
  await expectConditional(replay, res);
  const first = HLS.parse(text.toString()) as HLS.types.MediaPlaylist;
  const segReplay = new URL(first.segments[0]!.uri, replay);
  const segRes = await get(segReplay);
  const seg = await bytesOf(segRes);
  expect([segRes.status, segRes.headers.get('content-type'), segRes.headers.get('accept-ranges')]).toEqual([200, 'video/mp2t', 'bytes']);
  await expectRanges(segReplay, seg, 'video/mp2t');
  await expectConditional(segReplay, segRes);

  // deleted: the replay is gone at once, while its folder is still being removed (made slow here)
  const realRemove = recorderFs.removeTree;
  recorderFs.removeTree = async (d) => { await sleep(1000); return realRemove(d); };
  try {
    const del = await call(s.url, 'DELETE', `/api/admin/rooms/${roomId}`, { token: s.config.secrets.adminToken });
    expect(del.status).toBe(204);
    expect(existsSync(join(s.dataDir, 'hls', roomId))).toBe(true);
    for (const url of [replay, segReplay]) expect((await get(url)).status).toBe(404);
    await until(() => !existsSync(join(s.dataDir, 'hls', roomId)), 5000, 'the deleted room\'s folder to go');
  } finally {
    recorderFs.removeTree = realRemove;
  }
}, 40_000);
