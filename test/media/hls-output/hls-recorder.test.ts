// HlsRecorder on disk: segments written block by block as they are muxed land whole, byte for byte what
// the pipeline produces in memory, with no temp file left behind and a playlist that lists them.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { HlsPipeline } from '../../../server/media/hls';
import { HlsRecorder } from '../../../server/media/hls-output/hls-recorder';
import { LIVE_PLAYLIST, VOD_PLAYLIST } from '../../../server/media/hls-output/hls-paths';
import { splitFlv } from '../hls/helpers/flv-file';
import { encodeRateCappedFlv } from '../hls/helpers/media-tools';

let dir: string;
let tags: Buffer[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-recorder-'));
  const file = join(dir, 'in.flv');
  // 1.5 Mbps: 2 s segments of ~400 KB, many 64 KiB blocks each
  await encodeRateCappedFlv(file, { size: '640x360', videoKbps: 1500, noise: 20, seconds: 5 });
  tags = splitFlv(readFileSync(file));
}, 60000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('every segment on disk equals the in-memory pipeline output; no temp files; ENDLIST after end()', () => {
  const expected = new HlsPipeline({ fragmentS: 2 });
  const inMemory = tags.flatMap((t) => expected.pushTag(t));
  inMemory.push(expected.flush()!);
  expect(inMemory.length).toBe(3);
  expect(Math.min(...inMemory.map((s) => s.bytes))).toBeGreaterThan(3 * 65536); // so blocks really spilled

  const out = join(dir, 'broadcast');
  const listed: number[] = [];
  const rec = new HlsRecorder({
    dir: out, fragmentS: 2, playlistLengthS: 10, replay: true, log: pino({ level: 'silent' }),
    onSegment: (info) => listed.push(info.index),
  });
  for (const t of tags) rec.onTag(t);
  expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toHaveLength(1); // the open segment, under a temp name
  rec.end();

  expect(listed).toEqual([0, 1, 2]);
  expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  for (const seg of inMemory) {
    const onDisk = readFileSync(join(out, `${seg.index}.ts`));
    expect(onDisk.length).toBe(seg.bytes);
    expect(onDisk.equals(Buffer.concat(seg.chunks))).toBe(true);
  }
  for (const playlist of [LIVE_PLAYLIST, VOD_PLAYLIST]) {
    const text = readFileSync(join(out, playlist), 'utf8');
    expect(text.match(/^\d+\.ts$/gm)).toEqual(['0.ts', '1.ts', '2.ts']);
    expect(text).toMatch(/#EXT-X-ENDLIST\n$/);
  }
});
