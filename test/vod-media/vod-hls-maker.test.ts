// VOD HLS of library files made by remuxing: ffmpeg makes an FLV and two MP4s (one with its moov at the end, one
// faststart, B-frames), ffprobe judges every segment and the EXTINF sum, hls.js in Chromium plays it to the end.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { makeVodHls } from '../../server/vod-media/vod-hls-maker';
import { VodInputError } from '../../server/vod-media/flv-file-tags';
import { JobPool } from '../../server/vod-media/job-pool';
import { ffprobeJson } from '../helpers/ffmpeg';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { ffmpeg } from '../media/hls/helpers/media-tools';

let dir: string;
const SRC = ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=44100', '-t', '9',
  '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '50', '-c:a', 'aac'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-vodhls-'));
  await Promise.all([
    ffmpeg([...SRC, '-f', 'flv', join(dir, 'a.flv')]),
    ffmpeg([...SRC, join(dir, 'tail.mp4')]), // ffmpeg's default: moov after mdat
    ffmpeg([...SRC.slice(0, -6), '-preset', 'veryfast', '-bf', '2', '-g', '50', '-c:a', 'aac', '-movflags', '+faststart', join(dir, 'fast.mp4')]),
  ]);
}, 120000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const extinfSum = (m3u8: string): number =>
  [...m3u8.matchAll(/#EXTINF:([\d.]+),/g)].reduce((a, m) => a + Number(m[1]), 0);

describe.each([['a.flv', 'flv'], ['tail.mp4', 'mp4'], ['fast.mp4', 'mp4']] as const)('%s', (name, format) => {
  const out = (): string => join(dir, `hls-${name}`);

  test('remuxes into a VOD playlist whose segments ffprobe reads and whose EXTINF sum is the duration', async () => {
    const r = await makeVodHls({ path: join(dir, name), format }, out(), 2);
    const m3u8 = readFileSync(join(out(), 'index.m3u8'), 'utf8');
    expect(m3u8).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(m3u8.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    const source = Number((await ffprobeJson(join(dir, name))).format!.duration);
    expect(Math.abs(extinfSum(m3u8) - source)).toBeLessThan(0.5);
    expect(r.segments).toBeGreaterThanOrEqual(4); // 9 s cut near every 2 s keyframe
    const uris = m3u8.split('\n').filter((l) => l.endsWith('.ts'));
    expect(uris.length).toBe(r.segments);
    for (const uri of uris) {
      const probe = await ffprobeJson(join(out(), uri));
      expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60000);
});

test('a file that is not media leaves no rendition and no temp folder', async () => {
  writeFileSync(join(dir, 'junk.mp4'), Buffer.alloc(4096, 7));
  writeFileSync(join(dir, 'junk.flv'), Buffer.from('FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00garbage'));
  await expect(makeVodHls({ path: join(dir, 'junk.mp4'), format: 'mp4' }, join(dir, 'hls-junk-mp4'), 2)).rejects.toBeInstanceOf(VodInputError);
  await expect(makeVodHls({ path: join(dir, 'junk.flv'), format: 'flv' }, join(dir, 'hls-junk-flv'), 2)).rejects.toBeInstanceOf(VodInputError);
  expect(existsSync(join(dir, 'hls-junk-mp4'))).toBe(false);
  expect(existsSync(join(dir, 'hls-junk-flv'))).toBe(false);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('JobPool: concurrent asks for one key share a run; no more than the limit run at once', async () => {
  const pool = new JobPool<number>(2);
  let active = 0;
  let peak = 0;
  let runs = 0;
  const job = async (): Promise<number> => {
    runs++;
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 30));
    active--;
    return runs;
  };
  const same = await Promise.all([pool.run('a', job), pool.run('a', job), pool.run('a', job)]);
  expect(new Set(same).size).toBe(1);
  expect(runs).toBe(1);
  await Promise.all(['b', 'c', 'd', 'e', 'f'].map((k) => pool.run(k, job)));
  expect(runs).toBe(6);
  expect(peak).toBe(2);
  expect(pool.size).toBe(0);
});

describe('hls.js in Chromium', () => {
  let server: Server;
  let browser: TestBrowser;
  let base: string;
  beforeAll(async () => {
    const hlsJs = readFileSync(require.resolve('hls.js/dist/hls.min.js'));
    const page = `<!doctype html><video id="v" muted playsinline></video><script src="/hls.js"></script><script>
      window.report = { errors: [], ended: false };
      const v = document.getElementById('v'); const hls = new Hls({ enableWorker: false });
      hls.on(Hls.Events.ERROR, (e, d) => window.report.errors.push((d.fatal ? 'FATAL ' : '') + d.details));
      v.addEventListener('ended', () => { window.report.ended = true; });
      hls.loadSource(new URLSearchParams(location.search).get('src')); hls.attachMedia(v);
      hls.on(Hls.Events.MANIFEST_PARSED, () => { v.playbackRate = 4; v.play(); });</script>`;
    server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0]!;
      if (url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      if (url === '/hls.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
      const file = join(dir, url.replace(/\.\.+/g, ''));
      if (!existsSync(file)) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file.endsWith('.ts') ? 'video/mp2t' : 'application/vnd.apple.mpegurl' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 120000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  test.each(['a.flv', 'fast.mp4'])('plays the rendition of %s to the end', async (name) => {
    const { page, errors } = await browser.newPage();
    await page.goto(`${base}/?src=/hls-${name}/index.m3u8`);
    await page.waitForFunction('window.report.ended === true', undefined, { timeout: 40000 });
    const report = (await page.evaluate('({ ...window.report, t: document.getElementById("v").currentTime })')) as { errors: string[]; t: number };
    expect(errors).toEqual([]);
    expect(report.errors.filter((e) => e.startsWith('FATAL'))).toEqual([]);
    expect(report.t).toBeGreaterThan(8.5);
  }, 60000);
});

test('tidyVodHls removes a dead process\'s temp rendition folder, not this process\'s nor finished ones', async () => {
  const { tidyVodHls } = await import('../../server/vod-media/vod-media-setup');
  const root = join(dir, 'tidy');
  for (const d of ['v1', 'v2.999999.ab12cd34.tmp', `v3.${process.pid}.ab12cd34.tmp`]) mkdirSync(join(root, d), { recursive: true });
  expect(await tidyVodHls(root)).toEqual(['v2.999999.ab12cd34.tmp']);
  expect(readdirSync(root).sort()).toEqual(['v1', `v3.${process.pid}.ab12cd34.tmp`]);
});
