// VOD HLS over the real library: a file copied into DATA_DIR/vod is picked up by the LibraryScanner into the
// VideoCatalog (SQLite), and its catalog play URL plays as HLS through the VOD lane — made from the MP4 on the
// first request; private, the catalog's signed URL plays (segments signed through the playlist) and a bare one is refused.
import { createServer, type Server } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { vodLane } from '../../server/api/vod-lane';
import { SqliteVideoStore } from '../../server/store/sqlite/sqlite-video-store';
import { LibraryScanner } from '../../server/vod/library-scanner';
import { VideoCatalog } from '../../server/vod/video-catalog';
import { createVodMedia } from '../../server/vod-media/vod-media-setup';
import { ffprobeJson } from '../helpers/ffmpeg';
import { until } from '../helpers/wait';
import { ffmpeg } from '../media/hls/helpers/media-tools';

let dir: string;
let store: SqliteVideoStore;
let catalog: VideoCatalog;
let scanner: LibraryScanner;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-vodcat-'));
  mkdirSync(join(dir, 'vod'));
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=44100', '-t', '5',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', join(dir, 'src.mp4')]);
  store = new SqliteVideoStore(join(dir, 'wxlive.db'));
  catalog = new VideoCatalog({ store, root: join(dir, 'vod'), vodHlsRoot: join(dir, 'vod-hls'), signingSecret: 's'.repeat(32), playTtlS: 60, log: pino({ level: 'silent' }) });
  scanner = new LibraryScanner(catalog, { rescanMs: 60_000, settleMs: 300 });
  await scanner.start();
  const vod = await createVodMedia({ dataDir: dir, catalog, fragmentS: 1 });
  const lane = vodLane(vod, { log: pino({ level: 'silent' }) });
  server = createServer((req, res) => {
    if (!lane(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await scanner?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a dropped-in MP4 plays as VOD HLS from its catalog URL; private: signed URL plays, bare one 403', async () => {
  copyFileSync(join(dir, 'src.mp4'), join(dir, 'vod', 'clip.mp4'));
  await until(async () => (await catalog.list(false, 10)).videos.length === 1, 15_000, 'the library to list clip.mp4');
  const video = (await catalog.list(false, 10)).videos[0]!;
  const bases = { http: base, rtmp: 'rtmp://127.0.0.1:1935/live' };
  const pub = catalog.playUrls(video, bases);
  const text = await (await fetch(pub.hls)).text();
  expect(text).toContain('#EXT-X-ENDLIST');
  const sum = [...text.matchAll(/#EXTINF:([\d.]+),/g)].reduce((a, m) => a + Number(m[1]), 0);
  expect(Math.abs(sum - video.durationS)).toBeLessThan(0.5);
  const probe = await ffprobeJson(pub.hls);
  expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);

  const priv = await catalog.patch(video.id, { public: false });
  const signed = catalog.playUrls(priv, bases);
  expect(signed.hls).toContain('sign=');
  expect((await fetch(`${base}/vod/${video.id}/index.m3u8`)).status).toBe(403);
  expect((await fetch(`${base}/vod/${video.id}/0.ts`)).status).toBe(403);
  const signedProbe = await ffprobeJson(signed.hls); // every segment request carries the playlist's signature
  expect(signedProbe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
}, 60000);
