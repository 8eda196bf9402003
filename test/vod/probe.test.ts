// The library probe on ffmpeg-made files: codecs, resolution, audio, duration within 0.5 s of ffprobe's, and the
// refusals (unsupported codecs named; truncated or garbage input invalid).
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProbeError } from '../../server/vod/probe-error';
import { probeVideo } from '../../server/vod/probe';
import { execFileSync } from 'node:child_process';
import { ffprobeDuration, fixture } from './media-fixtures';

jest.setTimeout(60_000);
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'wxlive-probe-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof ProbeError ? [e.failure, e.message] : ['other', String(e)]));

test.each(['good.mp4', 'good.flv'] as const)('%s: H.264 320x240 + AAC 44.1 kHz stereo, ffprobe duration', async (name) => {
  const path = await fixture(dir, name);
  const p = await probeVideo(path);
  expect(p.format).toBe(name.slice(-3));
  expect(p.video).toEqual({ codec: 'h264', width: 320, height: 240 });
  expect(p.audio).toEqual({ codec: 'aac', sampleRate: 44100, channels: 2 });
  expect(p.sizeBytes).toBe(readFileSync(path).length);
  expect(Math.abs(p.durationS - (await ffprobeDuration(path)))).toBeLessThan(0.5);
});

test('unsupported codecs are named', async () => {
  const [k1, m1] = (await failure(probeVideo(await fixture(dir, 'mpeg4.mp4'))))!;
  expect(k1).toBe('unsupported');
  expect(m1).toMatch(/mp4v/);
  expect(m1).toMatch(/mp4a\.6b/); // MP3 in MP4
  const [k2, m2] = (await failure(probeVideo(await fixture(dir, 'sorenson.flv'))))!;
  expect(k2).toBe('unsupported');
  expect(m2).toMatch(/video codec id 2/);
});

test('truncated files and garbage are invalid', async () => {
  for (const name of ['good.mp4', 'good.flv'] as const) {
    const whole = readFileSync(await fixture(dir, name));
    const cut = join(dir, `cut-${name}`);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect((await failure(probeVideo(cut)))?.[0]).toBe('invalid');
  }
  for (const name of ['junk.mp4', 'junk.flv']) {
    writeFileSync(join(dir, name), Buffer.from('this is not a video at all, just some text '.repeat(200)));
    expect((await failure(probeVideo(join(dir, name))))?.[0]).toBe('invalid');
  }
  // moov first (faststart): the header parses, the samples it lists lie past the cut
  const fast = join(dir, 'fast.mp4');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', await fixture(dir, 'good.mp4'), '-c', 'copy', '-movflags', '+faststart', fast]);
  expect(await probeVideo(fast)).toMatchObject({ format: 'mp4' });
  writeFileSync(join(dir, 'cut-fast.mp4'), readFileSync(fast).subarray(0, 40_000));
  expect(await failure(probeVideo(join(dir, 'cut-fast.mp4')))).toEqual(['invalid', expect.stringMatching(/truncated/)]);
  writeFileSync(join(dir, 'empty.mp4'), Buffer.alloc(0));
  expect((await failure(probeVideo(join(dir, 'empty.mp4'))))?.[0]).toBe('invalid');
});
