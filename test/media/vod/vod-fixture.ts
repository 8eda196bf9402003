// Shared pieces of the RTMP VOD tests: ffmpeg-made library files in a temp DATA_DIR/vod, a small catalog over that
// directory (the real one is server/vod's; here only its contract), an ingest serving the vod app, FLV output reading.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import pino from 'pino';
import { RtmpIngest } from '../../../server/media/rtmp/rtmp-ingest';
import { VodPlays, type VodPlaysOptions } from '../../../server/media/vod/vod-plays';
import type { VodCatalog } from '../../../server/media/vod/types';
import type { Video } from '../../../typings/vod';
import { testHooks } from '../rtmp/rtmp-fixture';

const run = promisify(execFile);

/** A 10 s H.264 (2 s GOP, B-frames in the MP4) + AAC file made by ffmpeg. */
export async function makeMedia(dir: string, name: string, seconds = 10, size = '320x240', extra: string[] = []): Promise<string> {
  const out = join(dir, name);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    '-t', String(seconds), ...extra, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-pix_fmt', 'yuv420p',
    ...(name.endsWith('.mp4') ? ['-bf', '2', '-movflags', '+faststart'] : []), '-c:a', 'aac', '-b:a', '64k', out]);
  return out;
}

/** Files of a directory; names starting with "private-" need `?sign=good`. */
export function dirCatalog(dir: string): VodCatalog {
  return {
    byName: async (name) => {
      const path = join(dir, name);
      if (!existsSync(path)) return null;
      const video = { id: name, name, title: name, public: !name.startsWith('private-') } as Video;
      return { video, path };
    },
    checkPlay: (video, query) => (video.public || query.sign === 'good' ? null : 'bad_signature'),
  };
}

export async function startVod(extra: Partial<VodPlaysOptions> = {}, ingestExtra: Partial<ConstructorParameters<typeof RtmpIngest>[0]> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'wxlive-vod-'));
  const dir = join(dataDir, 'vod');
  await run('mkdir', ['-p', dir]);
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const vod = new VodPlays({ catalog: dirCatalog(dir), log, ...extra });
  const ingest = new RtmpIngest({ port: 0, host: '127.0.0.1', log, dataDir, hooks: testHooks().hooks, vod, ...ingestExtra });
  const port = await ingest.start();
  return {
    dir, vod, ingest, port,
    url: (name: string) => `rtmp://127.0.0.1:${port}/vod/${name}`,
    async close() {
      await ingest.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface FlvTagInfo { type: number; ts: number; key: boolean; size: number }

/** The tags of an FLV file (what rtmpdump wrote). */
export async function flvTags(path: string): Promise<FlvTagInfo[]> {
  const b = await readFile(path);
  const tags: FlvTagInfo[] = [];
  let p = b.readUInt32BE(5) + 4;
  while (p + 11 <= b.length) {
    const size = b.readUIntBE(p + 1, 3);
    const ts = b[p + 7]! * 0x1000000 + b.readUIntBE(p + 4, 3);
    if (p + 11 + size > b.length) break;
    tags.push({ type: b[p]!, ts, key: b[p]! === 9 && (b[p + 11]! >> 4) === 1, size });
    p += 11 + size + 4;
  }
  return tags;
}

export async function probeDuration(target: string): Promise<{ duration: number; codecs: string[]; starts: Record<string, number> }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', target], { timeout: 20000 });
  const j = JSON.parse(stdout) as { streams: { codec_name: string; start_time?: string }[]; format: { duration?: string } };
  const starts = Object.fromEntries(j.streams.map((s) => [s.codec_name, Number(s.start_time)]));
  return { duration: Number(j.format.duration), codecs: j.streams.map((s) => s.codec_name).sort(), starts };
}

/** rtmpdump (recorded mode, not --live): resolves with its exit code and the wall time it took. */
export async function rtmpdumpFile(url: string, out: string, extra: string[] = []): Promise<{ code: number; ms: number; stderr: string }> {
  const t0 = Date.now();
  try {
    const { stderr } = await run('rtmpdump', ['-r', url, '-o', out, ...extra], { timeout: 40000 });
    return { code: 0, ms: Date.now() - t0, stderr };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, ms: Date.now() - t0, stderr: e.stderr ?? '' };
  }
}
