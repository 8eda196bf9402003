// Real peer: hls.js in headless Chromium follows a growing live playlist (LiveWindow + signed segment URIs)
// across a publisher reconnect, the way the H5 page will.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HlsPipeline, LiveWindow, type CompletedSegment } from '../../../server/media/hls';
import { launchBrowser, type TestBrowser } from '../../helpers/browser';
import { ffmpeg } from './helpers/media-tools';
import { pushFlvFile } from './helpers/segment-files';

const HLS_JS = readFileSync(require.resolve('hls.js/dist/hls.min.js'));
const SIGN = 'expires=1999999999&sign=ok';
const PAGE = `<!doctype html><html><body><video id="v" muted playsinline></video>
<script src="/hls.js"></script>
<script>
  window.report = { fatal: [], widths: [] };
  const v = document.getElementById('v');
  const hls = new Hls({ enableWorker: false });
  hls.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) window.report.fatal.push(d.details); });
  v.addEventListener('resize', () => window.report.widths.push(v.videoWidth));
  hls.loadSource('/live/index.m3u8?${SIGN}');
  hls.attachMedia(v);
  hls.on(Hls.Events.MANIFEST_PARSED, () => v.play());
</script></body></html>`;

let dir: string;
let server: Server;
let browser: TestBrowser;
let base: string;
let timer: NodeJS.Timeout | undefined;
/** /live/ requests that came without the signature (the player must carry it from the playlist) */
const unsigned: string[] = [];
const segments = new Map<number, Buffer>();
let pending: CompletedSegment[] = [];
const live = new LiveWindow(4);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-hlsjs-live-'));
  const common = ['-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-t', '6', '-f', 'flv'];
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', ...common, join(dir, 'a.flv')]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', ...common, join(dir, 'b.flv')]),
  ]);
  const p = new HlsPipeline({ fragmentS: 1 });
  pending = pushFlvFile(p, join(dir, 'a.flv'));
  pending.push(p.discontinuity()!);
  pending.push(...pushFlvFile(p, join(dir, 'b.flv')));
  pending.push(p.flush()!);

  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: Buffer | string): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
      res.end(body);
    };
    if (url.pathname === '/') return send(200, 'text/html', PAGE);
    if (url.pathname === '/hls.js') return send(200, 'text/javascript', HLS_JS);
    if (url.pathname.startsWith('/live/') && url.searchParams.get('sign') !== 'ok') {
      unsigned.push(url.pathname);
      return send(403, 'text/plain', 'unsigned');
    }
    if (url.pathname === '/live/index.m3u8') {
      return send(200, 'application/vnd.apple.mpegurl', live.playlist((i) => `${i}.ts`, `?${SIGN}`));
    }
    const m = /^\/live\/(\d+)\.ts$/.exec(url.pathname);
    const seg = m ? segments.get(Number(m[1])) : undefined;
    return seg ? send(200, 'video/mp2t', seg) : send(404, 'text/plain', 'gone');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 120000);

afterAll(async () => {
  if (timer) clearInterval(timer);
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** "Publishes" the next segment the way the disk writer will: add to the window, forget what left it. */
function publishNext(): void {
  const seg = pending.shift();
  if (!seg) return;
  segments.set(seg.index, Buffer.concat(seg.chunks));
  for (const gone of live.add(seg)) segments.delete(gone.index);
}

test('hls.js plays the live window in real time and follows the discontinuity', async () => {
  for (let i = 0; i < 3; i++) publishNext();
  timer = setInterval(publishNext, 1000);
  const { page, errors } = await browser.newPage();
  await page.goto(`${base}/`);
  // page code as strings: this project type-checks tests without the DOM library
  await page.waitForFunction('window.report.widths.includes(160) && document.getElementById("v").currentTime > 0', undefined, { timeout: 30000 });
  const report = (await page.evaluate('({ ...window.report, t: document.getElementById("v").currentTime })')) as { fatal: string[]; widths: number[]; t: number };
  expect(errors).toEqual([]);
  expect(report.fatal).toEqual([]);
  expect(report.widths.slice(0, 1)).toEqual([320]);
  expect(unsigned).toEqual([]); // every segment request carried the play signature from the playlist
}, 60000);

test('once the reconnect has left the window, the playlist counts it in DISCONTINUITY-SEQUENCE', () => {
  if (timer) clearInterval(timer);
  while (pending.length) publishNext();
  const text = live.playlist((i) => `${i}.ts`);
  const first = live.listed[0]!.index;
  expect(live.listed.some((s) => s.discontinuity)).toBe(false);
  expect(text).toContain(`#EXT-X-MEDIA-SEQUENCE:${first}\n`);
  expect(text).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1\n');
  expect(segments.has(first - 1)).toBe(false); // what left the window is gone
});
