// Replays as one MP4: segments our own pipeline muxed (from ffmpeg FLVs, across a publisher reconnect) become a
// faststart MP4 that ffprobe reads with both streams and the playlist's duration, and Chromium's <video> plays.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HlsPipeline, vodPlaylist, type CompletedSegment } from '../../server/media/hls';
import { ReplayNotEndedError, makeReplayMp4, parseReplayPlaylist } from '../../server/vod-media/replay-mp4';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ffprobeJson } from '../helpers/ffmpeg';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { ffmpeg } from '../media/hls/helpers/media-tools';
import { pushFlvFile } from '../media/hls/helpers/segment-files';

let dir: string;
let replay: string;
let playlistS = 0;

function writeReplay(into: string, segs: CompletedSegment[], ended: boolean): number {
  mkdirSync(into, { recursive: true });
  for (const s of segs) writeFileSync(join(into, `${s.index}.ts`), Buffer.concat(s.chunks));
  const list = segs.map((s) => ({ uri: `${s.index}.ts`, durationS: s.durationS, discontinuity: s.discontinuity }));
  const text = vodPlaylist({ ended, segments: list });
  writeFileSync(join(into, 'index.m3u8'), text);
  return [...text.matchAll(/#EXTINF:([\d.]+),/g)].reduce((a, m) => a + Number(m[1]), 0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-replaymp4-'));
  const common = ['-f', 'lavfi', '-i', 'sine=sample_rate=44100', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-t', '5', '-f', 'flv'];
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', ...common, join(dir, 'a.flv')]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', ...common, join(dir, 'b.flv')]),
  ]);
  const p = new HlsPipeline({ fragmentS: 2 });
  const segs = pushFlvFile(p, join(dir, 'a.flv'));
  segs.push(p.discontinuity()!); // the publisher reconnects: b.flv's clock starts at 0 again
  segs.push(...pushFlvFile(p, join(dir, 'b.flv')));
  segs.push(p.flush()!);
  replay = join(dir, 'room', 'b1');
  playlistS = writeReplay(replay, segs, true);
}, 120000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the replay MP4 passes ffprobe with both streams and the playlist duration (±0.5 s); moov before mdat', async () => {
  const out = join(replay, 'replay.mp4');
  const r = await makeReplayMp4(replay, out);
  const probe = await ffprobeJson(out);
  expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  // the esds carries the AudioSpecificConfig (without it ffprobe still names the codec, but not its profile)
  expect((probe.streams.find((x) => x.codec_type === 'audio') as { profile?: string }).profile).toBe('LC');
  expect(Math.abs(Number(probe.format!.duration) - playlistS)).toBeLessThan(0.5);
  expect(Math.abs(r.durationS - playlistS)).toBeLessThan(0.5);
  expect(statSync(out).size).toBe(r.bytes);
  const head = readFileSync(out).subarray(0, 64 * 1024).toString('latin1');
  expect(head.indexOf('moov')).toBeGreaterThan(0);
  expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat'));
  expect(readdirSync(replay).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  // every frame decodes: ffmpeg reads the whole file without an error
  await ffmpeg(['-v', 'error', '-xerror', '-i', out, '-f', 'null', '-']);
}, 60000);

test('a live replay (no ENDLIST) is refused and nothing is written', async () => {
  const live = join(dir, 'room', 'live');
  const p = new HlsPipeline({ fragmentS: 2 });
  writeReplay(live, pushFlvFile(p, join(dir, 'a.flv')), false);
  await expect(makeReplayMp4(live, join(live, 'replay.mp4'))).rejects.toBeInstanceOf(ReplayNotEndedError);
  expect(readdirSync(live).filter((f) => !f.endsWith('.ts') && f !== 'index.m3u8')).toEqual([]);
  expect(parseReplayPlaylist('#EXTM3U\n#EXTINF:2.000,\n0.ts\n')).toBeNull();
});

test('B-frames: the edit lists keep audio and video starting together (no composition delay shift)', async () => {
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-c:v', 'libx264',
    '-preset', 'veryfast', '-bf', '2', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-t', '4', '-f', 'flv', join(dir, 'bf.flv')]);
  const p = new HlsPipeline({ fragmentS: 1 });
  const segs = pushFlvFile(p, join(dir, 'bf.flv'));
  segs.push(p.flush()!);
  const into = join(dir, 'room', 'bframes');
  writeReplay(into, segs, true);
  const out = join(into, 'replay.mp4');
  await makeReplayMp4(into, out);
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,start_time', '-of', 'json', out]);
  const starts = Object.fromEntries((JSON.parse(stdout).streams as { codec_type: string; start_time: string }[]).map((x) => [x.codec_type, Number(x.start_time)]));
  expect(Math.abs(starts.video! - starts.audio!)).toBeLessThan(0.03); // without edits: 2 frames (80 ms) apart
  await ffmpeg(['-v', 'error', '-xerror', '-i', out, '-f', 'null', '-']);
}, 60000);

describe('Chromium <video>', () => {
  let server: Server;
  let browser: TestBrowser;
  let base: string;
  beforeAll(async () => {
    const file = join(replay, 'replay.mp4');
    server = createServer((req, res) => {
      if (req.url === '/') {
        return res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><video id="v" muted playsinline src="/r.mp4"></video><script>
          window.report = { ended: false, error: null }; const v = document.getElementById('v');
          v.addEventListener('ended', () => { window.report.ended = true; });
          v.addEventListener('error', () => { window.report.error = String(v.error && v.error.message); });
          v.playbackRate = 4; v.play();</script>`);
      }
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 120000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  test('plays the replay MP4 to the end', async () => {
    const { page, errors } = await browser.newPage();
    await page.goto(`${base}/`);
    await page.waitForFunction('window.report.ended === true || window.report.error !== null', undefined, { timeout: 40000 });
    const report = (await page.evaluate('({ ...window.report, t: document.getElementById("v").currentTime, d: document.getElementById("v").duration })')) as { ended: boolean; error: string | null; t: number; d: number };
    expect(errors).toEqual([]);
    expect(report.error).toBeNull();
    expect(report.ended).toBe(true);
    expect(Math.abs(report.d - playlistS)).toBeLessThan(0.5);
    expect(report.t).toBeGreaterThan(playlistS - 0.5);
  }, 60000);
});
