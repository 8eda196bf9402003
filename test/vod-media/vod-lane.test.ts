// The VOD media paths over real HTTP: a library video's HLS made on first request (shared by concurrent first
// requests), signed for a private video, and a replay's MP4 with Range/HEAD/304; bad requests answer JSON errors.
// The catalog is a small implementation of helper C's port over a folder (the real one lives in server/vod).
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Video } from '../../typings/vod';
import { HlsPipeline, vodPlaylist, type CompletedSegment } from '../../server/media/hls';
import { vodLane } from '../../server/api/vod-lane';
import { VodMediaHttp, type Query } from '../../server/vod-media/vod-media-http';
import { ffprobeJson } from '../helpers/ffmpeg';
import { ffmpeg } from '../media/hls/helpers/media-tools';
import { pushFlvFile } from '../media/hls/helpers/segment-files';

const ROOM = 'Room00000001';
const ENDED = 'Bcast00001';
const LIVE = 'Bcast00002';
const HIDDEN = 'Bcast00003';
let dir: string;
let server: Server;
let base: string;
let vodMedia: VodMediaHttp;

const video = (id: string, name: string, pub: boolean): Video => ({
  id, name, title: name, public: pub, format: 'flv', durationS: 4, sizeBytes: 1, video: null, audio: null, createdAt: new Date(0).toISOString(),
});

function writeReplay(into: string, segs: CompletedSegment[], ended: boolean): void {
  mkdirSync(into, { recursive: true });
  for (const s of segs) writeFileSync(join(into, `${s.index}.ts`), Buffer.concat(s.chunks));
  writeFileSync(join(into, 'index.m3u8'), vodPlaylist({ ended, segments: segs.map((s) => ({ uri: `${s.index}.ts`, durationS: s.durationS, discontinuity: s.discontinuity })) }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-vodlane-'));
  mkdirSync(join(dir, 'vod'));
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=44100', '-t', '4',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-f', 'flv', join(dir, 'vod', 'a.flv')]);
  for (const [b, ended] of [[ENDED, true], [LIVE, false], [HIDDEN, true]] as const) {
    const p = new HlsPipeline({ fragmentS: 1 });
    const segs = pushFlvFile(p, join(dir, 'vod', 'a.flv'));
    if (ended) segs.push(p.flush()!);
    writeReplay(join(dir, 'hls', ROOM, b), segs, ended);
  }
  const videos = new Map([['v1', video('v1', 'a.flv', true)], ['v2', video('v2', 'a.flv', false)]]);
  const vod = new VodMediaHttp({
    catalog: {
      byId: async (id) => (videos.has(id) ? { video: videos.get(id)!, path: join(dir, 'vod', videos.get(id)!.name) } : null),
      checkPlay: (v: Video, q: Query) => (v.public || q.sign === 'good' ? null : 'This video needs a signed URL.'),
    },
    vodHlsRoot: join(dir, 'vod-hls'),
    hlsRoot: join(dir, 'hls'),
    fragmentS: 1,
    replayAccess: async (_room, b, q) => (b === HIDDEN && q.sign !== 'host' ? 'hidden' : 'ok'),
  });
  vodMedia = vod;
  const lane = vodLane(vod, { log: pino({ level: 'silent' }), maxPerIp: 4 });
  server = createServer((req, res) => {
    if (!lane(req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('concurrent first requests share one remux; the playlist is VOD and its segments play', async () => {
  const answers = await Promise.all([1, 2, 3].map(() => fetch(`${base}/vod/v1/index.m3u8`)));
  const texts = await Promise.all(answers.map((r) => r.text()));
  expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
  expect(answers[0]!.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
  expect(new Set(texts).size).toBe(1);
  expect(texts[0]).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
  expect(readdirSync(join(dir, 'vod-hls'))).toEqual(['v1']); // one rendition, no temp folder left
  const probe = await ffprobeJson(`${base}/vod/v1/0.ts`);
  expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  const etag = answers[0]!.headers.get('etag')!;
  expect((await fetch(`${base}/vod/v1/index.m3u8`, { headers: { 'if-none-match': etag } })).status).toBe(304);
}, 60000);

test('a private video: refused without its signature; with it, the playlist signs its segment URIs', async () => {
  const refused = await fetch(`${base}/vod/v2/index.m3u8`);
  expect(refused.status).toBe(403);
  expect((await refused.json()).error.code).toBe('play_forbidden');
  const ok = await fetch(`${base}/vod/v2/index.m3u8?expires=9&sign=good`);
  expect(ok.status).toBe(200);
  const text = await ok.text();
  expect(text).toMatch(/^0\.ts\?expires=9&sign=good$/m);
  expect((await fetch(`${base}/vod/v2/0.ts`)).status).toBe(403);
  expect((await fetch(`${base}/vod/v2/0.ts?expires=9&sign=good`)).status).toBe(200);
}, 60000);

test('the replay MP4: 200 with HEAD, Range → 206, If-None-Match → 304; ffprobe reads it over HTTP', async () => {
  const url = `${base}/replay/${ROOM}/${ENDED}.mp4`;
  const whole = await fetch(url);
  expect(whole.status).toBe(200);
  expect(whole.headers.get('content-type')).toBe('video/mp4');
  const size = (await whole.arrayBuffer()).byteLength;
  const head = await fetch(url, { method: 'HEAD' });
  expect(Number(head.headers.get('content-length'))).toBe(size);
  const part = await fetch(url, { headers: { range: 'bytes=100-199' } });
  expect(part.status).toBe(206);
  expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
  expect((await part.arrayBuffer()).byteLength).toBe(100);
  expect((await fetch(url, { headers: { 'if-none-match': whole.headers.get('etag')! } })).status).toBe(304);
  const probe = await ffprobeJson(url);
  expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  expect(existsSync(join(dir, 'hls', ROOM, ENDED, 'replay.mp4'))).toBe(true);
}, 60000);

test.each([
  [`/replay/${ROOM}/ZZZZZZZZZZ.mp4`, 404, 'not_found'], // unknown broadcast
  [`/replay/${ROOM}/${LIVE}.mp4`, 409, 'replay_live'], // still live
  [`/replay/${ROOM}/${HIDDEN}.mp4`, 404, 'not_found'], // hidden from others
  [`/replay/..%2F..%2Fetc/passwd.mp4`, 404, 'not_found'], // traversal
  [`/replay/${ROOM}/..%2F${ENDED}.mp4`, 404, 'not_found'],
  ['/vod/nope/index.m3u8', 404, 'not_found'],
  ['/vod/..%2Fvod/index.m3u8', 404, 'not_found'],
])('%s → %i JSON', async (path, status, code) => {
  const r = await fetch(`${base}${path}`);
  expect(r.status).toBe(status);
  expect((await r.json()).error.code).toBe(code);
});

test('the hidden replay plays for its host; other paths are left to the next handler; POST is 405', async () => {
  expect((await fetch(`${base}/replay/${ROOM}/${HIDDEN}.mp4?sign=host`)).status).toBe(200);
  expect((await fetch(`${base}/vod/v1/file`)).status).toBe(418);
  expect((await fetch(`${base}/vod/v1/index.m3u8`, { method: 'POST' })).status).toBe(405);
});

test('abuse: more than maxPerIp requests of one address at once → 429', async () => {
  const statuses = await Promise.all(Array.from({ length: 12 }, () => fetch(`${base}/replay/${ROOM}/${ENDED}.mp4`).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  })));
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(4);
});

test('a file replaced under the same id gets a new rendition; removeHls drops it', async () => {
  expect((await fetch(`${base}/vod/v1/index.m3u8`)).status).toBe(200);
  const before = statSync(join(dir, 'vod-hls', 'v1', 'index.m3u8')).mtimeMs;
  const later = new Date(Date.now() + 5000);
  utimesSync(join(dir, 'vod', 'a.flv'), later, later);
  expect((await fetch(`${base}/vod/v1/index.m3u8`)).status).toBe(200);
  const remade = statSync(join(dir, 'vod-hls', 'v1', 'index.m3u8')).mtimeMs;
  expect(remade).toBeGreaterThan(before);
  expect((await fetch(`${base}/vod/v1/0.ts`)).status).toBe(200); // made once: the next request does not make it again
  expect(statSync(join(dir, 'vod-hls', 'v1', 'index.m3u8')).mtimeMs).toBe(remade);
  await vodMedia.removeHls('v1');
  expect(existsSync(join(dir, 'vod-hls', 'v1'))).toBe(false);
  await vodMedia.removeHls('../vod'); // not an id: nothing happens
  expect(existsSync(join(dir, 'vod', 'a.flv'))).toBe(true);
}, 60000);
