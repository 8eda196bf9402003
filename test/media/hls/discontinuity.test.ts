// Real peers: a publisher reconnecting (new FLV stream, new codec config) and a stream whose keyframes stop.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as HLS from 'hls-parser';
import { HlsPipeline, vodPlaylist, type CompletedSegment } from '../../../server/media/hls';
import { decodeErrors, encodeOnce, ffprobe, type Probe } from './helpers/media-tools';
import { splitFlv } from './helpers/flv-file';
import { pushFlvFile, writeSegments } from './helpers/segment-files';
import { readTsPackets, segmentBytes } from './helpers/ts-reader';

const tone = (hz: number): string[] => ['-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=44100`];
const picture = (size: string, rate = 25): string[] => ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${rate}`];
const H264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];
const AAC = ['-c:a', 'aac', '-b:a', '64k'];

let dir: string;
const flv = (name: string): string => join(dir, `${name}.flv`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-hls-disc-'));
  await Promise.all([
    encodeOnce([...picture('320x240'), ...tone(440), ...H264, '-g', '25', ...AAC, '-t', '5', '-f', 'flv', flv('first')]),
    encodeOnce([...picture('160x120'), ...tone(880), ...H264, '-g', '25', ...AAC, '-t', '5', '-f', 'flv', flv('second')]),
    encodeOnce([...tone(660), ...AAC, '-t', '3', '-f', 'flv', flv('third-audio-only')]),
    // one keyframe, then none: only the forced cut at 10 × fragmentS can end a segment. No B-frames: a cut
    // between keyframes of a reordered stream overlaps its neighbour by the reorder delay (see segmenter.ts)
    encodeOnce([...picture('320x240'), ...tone(440), ...H264, '-g', '1000', '-keyint_min', '1000', '-sc_threshold', '0', '-bf', '0', ...AAC, '-t', '7', '-f', 'flv', flv('no-keyframes')]),
  ]);
}, 120000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const written = new Map<string, string[]>();

async function probeAll(name: string, segs: CompletedSegment[]): Promise<Probe[]> {
  const sub = join(dir, name);
  mkdirSync(sub);
  written.set(name, writeSegments(sub, segs));
  return Promise.all(written.get(name)!.map(ffprobe));
}

/** Every segment written by probeAll(name) decodes on its own without a decoder complaint. */
async function expectCleanDecode(name: string): Promise<void> {
  const errors = await Promise.all(written.get(name)!.map(decodeErrors));
  expect(errors).toEqual(errors.map(() => ''));
}

test('a reconnect continues the numbering; the next segment is a discontinuity with fresh PAT/PMT/keyframe and codec config', async () => {
  const p = new HlsPipeline({ fragmentS: 2 });
  const segs = pushFlvFile(p, flv('first'));
  segs.push(p.discontinuity()!);
  segs.push(...pushFlvFile(p, flv('second')));
  segs.push(p.discontinuity()!);
  segs.push(...pushFlvFile(p, flv('third-audio-only')));
  segs.push(p.flush()!);
  expect(p.rejectedTags.count).toBe(0);

  // 5 s → 2 + 2 + 1 (closed by the reconnect), twice; then 3 s of audio → 2 + 1
  expect(segs.map((s) => [s.index, s.discontinuity, Math.round(s.durationS * 10) / 10])).toEqual([
    [0, false, 2], [1, false, 2], [2, false, 1],
    [3, true, 2], [4, false, 2], [5, false, 1],
    [6, true, 2], [7, false, 1],
  ]);
  const probes = await probeAll('reconnect', segs);
  expect(probes.map((pr) => pr.stderr)).toEqual(segs.map(() => ''));
  await expectCleanDecode('reconnect');
  expect(probes.map((pr) => pr.streams.map((s) => s.codec_name).join('+'))).toEqual([
    'h264+aac', 'h264+aac', 'h264+aac', 'h264+aac', 'h264+aac', 'h264+aac', 'aac', 'aac',
  ]);
  // the second publisher's picture size comes from its own sequence header
  expect([probes[2]!.streams[0]!.width, probes[3]!.streams[0]!.width]).toEqual([320, 160]);
  for (const i of [3, 6]) {
    const pkts = readTsPackets(segmentBytes(segs[i]!));
    expect(pkts.slice(0, 2).map((x) => x.pid)).toEqual([0, 0x1000]);
  }
  expect(readTsPackets(segmentBytes(segs[3]!))[2]!.pid).toBe(0x100);
  expect(probes[3]!.packets.find((x) => x.codec_type === 'video')!.flags).toMatch(/^K/);
  segs.forEach((s, i) => expect(Math.abs(s.durationS - Number(probes[i]!.format.duration))).toBeLessThan(0.1));

  HLS.setOptions({ strictMode: true });
  const text = vodPlaylist({ ended: true, segments: segs.map((s) => ({ uri: `${s.index}.ts`, durationS: s.durationS, discontinuity: s.discontinuity })) });
  const parsed = HLS.parse(text) as HLS.types.MediaPlaylist;
  expect(parsed.segments.map((s) => Boolean(s.discontinuity))).toEqual([false, false, false, true, false, false, true, false]);
});

/** A copy of a tag buffer with its timestamp moved by `ms` (24-bit field + extension byte). */
function shifted(tag: Buffer, ms: number): Buffer {
  const out = Buffer.from(tag);
  const ts = out[7]! * 0x1000000 + out.readUIntBE(4, 3) + ms;
  out.writeUIntBE(ts % 0x1000000, 4, 3);
  out[7] = Math.floor(ts / 0x1000000);
  return out;
}

test('a resolution change mid-stream (new sequence header, same publisher) starts a discontinuity at its keyframe', async () => {
  // what the hub forwards when a pusher changes resolution: new sequence headers, then a keyframe, on one clock
  const tags = [...splitFlv(readFileSync(flv('first'))), ...splitFlv(readFileSync(flv('second'))).slice(1).map((t) => shifted(t, 5000))];
  const p = new HlsPipeline({ fragmentS: 2 });
  const segs = tags.flatMap((t) => p.pushTag(t));
  segs.push(p.flush()!);
  expect(segs.map((s) => [s.index, s.discontinuity, Math.round(s.durationS * 10) / 10])).toEqual([
    [0, false, 2], [1, false, 2], [2, false, 1], [3, true, 2], [4, false, 2], [5, false, 1],
  ]);
  const probes = await probeAll('resize', segs);
  expect(probes.map((pr) => pr.streams[0]!.width)).toEqual([320, 320, 320, 160, 160, 160]);
  await expectCleanDecode('resize');
  expect(probes.map((pr) => pr.stderr)).toEqual(segs.map(() => ''));
  segs.forEach((s, i) => expect(Math.abs(s.durationS - Number(probes[i]!.format.duration))).toBeLessThan(0.1));
});

test('no keyframe after the first: forced cut at 10 × fragmentS; both parts are valid MPEG-TS', async () => {
  const p = new HlsPipeline({ fragmentS: 0.5 });
  const segs = pushFlvFile(p, flv('no-keyframes'));
  segs.push(p.flush()!);
  expect(segs.map((s) => [s.index, s.firstKeyframe, s.discontinuity])).toEqual([[0, true, false], [1, false, false]]);
  expect(Math.abs(segs[0]!.durationS - 5)).toBeLessThan(0.03); // the first audio frame at or after 5 s
  const probes = await probeAll('forced', segs);
  expect(probes.map((pr) => pr.streams.map((s) => s.codec_name).join('+'))).toEqual(['h264+aac', 'h264+aac']);
  segs.forEach((s, i) => expect(Math.abs(s.durationS - Number(probes[i]!.format.duration))).toBeLessThan(0.1));
  // the forced segment's first access unit carries SPS/PPS: ffprobe (and any player) can set up the decoder
  expect(probes.map((pr) => [pr.stderr, pr.streams[0]!.width])).toEqual([['', 320], ['', 320]]);
  const video = probes.map((pr) => pr.packets.filter((x) => x.codec_type === 'video'));
  expect([video[0]![0]!.flags, video[1]!.filter((x) => x.flags.startsWith('K')).length]).toEqual(['K_', 0]);
});
