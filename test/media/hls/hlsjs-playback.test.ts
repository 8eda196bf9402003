// Real peer: hls.js in headless Chromium plays our segments (MSE), across a publisher reconnect.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HlsPipeline, vodPlaylist, type CompletedSegment } from '../../../server/media/hls';
import { launchBrowser, type TestBrowser } from '../../helpers/browser';
import { ffmpeg } from './helpers/media-tools';
import { pushFlvFile } from './helpers/segment-files';

const HLS_JS = readFileSync(require.resolve('hls.js/dist/hls.min.js'));
const PAGE = `<!doctype html><html><body><video id="v" muted playsinline></video>
<script src="/hls.js"></script>
<script>
  window.report = { errors: [], widths: [], ended: false };
  const v = document.getElementById('v');
  const hls = new Hls({ enableWorker: false });
  hls.on(Hls.Events.ERROR, (e, d) => window.report.errors.push((d.fatal ? 'FATAL ' : '') + d.details));
  v.addEventListener('resize', () => window.report.widths.push(v.videoWidth));
  v.addEventListener('ended', () => { window.report.ended = true; });
  hls.loadSource(new URLSearchParams(location.search).get('src') || '/index.m3u8');
  hls.attachMedia(v);
  hls.on(Hls.Events.MANIFEST_PARSED, () => { v.playbackRate = 4; v.play(); });
</script></body></html>`;

let dir: string;
let server: Server;
let browser: TestBrowser;
let base: string;
const files = new Map<string, { type: string; body: Buffer | string }>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-hlsjs-'));
  const common = ['-f', 'lavfi', '-i', 'sine=sample_rate=44100', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-t', '4', '-f', 'flv'];
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', ...common, join(dir, 'a.flv')]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', ...common.slice(0, -2), '-bf', '2', '-t', '4', '-f', 'flv', join(dir, 'b.flv')]),
    ffmpeg(['-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-c:a', 'aac', '-t', '4', '-f', 'flv', join(dir, 'audio.flv')]),
  ]);
  const audioOnly = new HlsPipeline({ fragmentS: 1 });
  const audioSegs = pushFlvFile(audioOnly, join(dir, 'audio.flv'));
  audioSegs.push(audioOnly.flush()!);
  for (const s of audioSegs) files.set(`/audio/${s.index}.ts`, { type: 'video/mp2t', body: Buffer.concat(s.chunks) });
  files.set('/audio/index.m3u8', {
    type: 'application/vnd.apple.mpegurl',
    body: vodPlaylist({ ended: true, segments: audioSegs.map((s) => ({ uri: `${s.index}.ts`, durationS: s.durationS, discontinuity: false })) }),
  });
  const p = new HlsPipeline({ fragmentS: 1 });
  const segs: CompletedSegment[] = pushFlvFile(p, join(dir, 'a.flv'));
  segs.push(p.discontinuity()!);
  segs.push(...pushFlvFile(p, join(dir, 'b.flv')));
  segs.push(p.flush()!);
  for (const s of segs) files.set(`/${s.index}.ts`, { type: 'video/mp2t', body: Buffer.concat(s.chunks) });
  files.set('/index.m3u8', {
    type: 'application/vnd.apple.mpegurl',
    body: vodPlaylist({ ended: true, segments: segs.map((s) => ({ uri: `${s.index}.ts`, durationS: s.durationS, discontinuity: s.discontinuity })) }),
  });
  files.set('/hls.js', { type: 'text/javascript', body: HLS_JS });
  files.set('/', { type: 'text/html', body: PAGE });
  server = createServer((req, res) => {
    const f = files.get((req.url ?? '/').split('?')[0]!);
    res.writeHead(f ? 200 : 404, { 'content-type': f?.type ?? 'text/plain' });
    res.end(f?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 120000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('hls.js plays every segment to the end, through the discontinuity and the resolution change', async () => {
  const { page, errors } = await browser.newPage();
  await page.goto(`${base}/`);
  // page code as strings: this project type-checks tests without the DOM library
  await page.waitForFunction('window.report.ended === true', undefined, { timeout: 30000 });
  const report = (await page.evaluate(
    '({ ...window.report, currentTime: document.getElementById("v").currentTime, width: document.getElementById("v").videoWidth })',
  )) as { errors: string[]; widths: number[]; currentTime: number; width: number };
  expect(errors).toEqual([]);
  expect(report.errors.filter((e: string) => e.startsWith('FATAL'))).toEqual([]);
  expect(report.currentTime).toBeGreaterThan(7.5); // 4 s + 4 s of media
  expect(report.widths[0]).toBe(320);
  expect(report.width).toBe(160);
}, 60000);

test('hls.js plays an audio-only stream to the end', async () => {
  const { page, errors } = await browser.newPage();
  await page.goto(`${base}/?src=/audio/index.m3u8`);
  await page.waitForFunction('window.report.ended === true', undefined, { timeout: 30000 });
  const report = (await page.evaluate('({ ...window.report, currentTime: document.getElementById("v").currentTime })')) as { errors: string[]; currentTime: number };
  expect(errors).toEqual([]);
  expect(report.errors.filter((e) => e.startsWith('FATAL'))).toEqual([]);
  expect(report.currentTime).toBeGreaterThan(3.8);
}, 60000);
