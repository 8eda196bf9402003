// Real peers for media tests: ffmpeg generates inputs, ffprobe judges outputs. Every run is bounded.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TIMEOUT_MS = 60000;

/** Runs ffmpeg with `args` (quiet, overwrite) and resolves when it exits 0. */
export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { timeout: TIMEOUT_MS });
}

const ENCODE_CACHE = join(tmpdir(), 'wxlive-ffmpeg-encodes');
let ffmpegBuild: Promise<string> | null = null;

/**
 * ffmpeg(args) for an encode from generated (lavfi) inputs into the file named by the last argument, done
 * once per machine and ffmpeg build: the same build given the same arguments writes a stream of the same
 * kind, so later runs copy the first one's file. Mutation testing reruns the media suites hundreds of times;
 * this keeps them from spending most of it re-encoding the same seconds of test pattern.
 */
export async function encodeOnce(args: string[]): Promise<void> {
  const out = args[args.length - 1]!;
  args.forEach((a, i) => {
    if (a === '-i' && !(args[i - 2] === '-f' && args[i - 1] === 'lavfi')) throw new Error(`encodeOnce takes lavfi inputs only, not ${args[i + 1]}`);
  });
  ffmpegBuild ??= run('ffmpeg', ['-version'], { timeout: TIMEOUT_MS }).then((r) => r.stdout.split('\n')[0]!);
  const key = createHash('sha256').update(JSON.stringify([await ffmpegBuild, args.slice(0, -1)])).digest('hex').slice(0, 32);
  const cached = join(ENCODE_CACHE, key);
  if (!existsSync(cached)) {
    mkdirSync(ENCODE_CACHE, { recursive: true });
    const tmp = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`; // the args name the format (-f)
    await ffmpeg([...args.slice(0, -1), tmp]);
    renameSync(tmp, cached); // whole files only: a run killed mid-encode leaves a .tmp, never a short cache entry
  }
  copyFileSync(cached, out);
}

/**
 * A 25 fps H.264 + AAC FLV (2 s GOP) at a real bitrate: noise keeps x264 at its rate cap, so the stream
 * really is about `videoKbps`, unlike a plain test pattern that compresses to almost nothing.
 */
export async function encodeRateCappedFlv(
  file: string, o: { size: string; videoKbps: number; noise: number; seconds: number; audioKbps?: number },
): Promise<void> {
  const rate = `${o.videoKbps}k`;
  await encodeOnce(['-f', 'lavfi', '-i', `testsrc2=size=${o.size}:rate=25`, '-f', 'lavfi', '-i', 'sine=sample_rate=44100',
    '-vf', `noise=alls=${o.noise}:allf=t`, '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', rate, '-maxrate', rate,
    '-bufsize', rate, '-g', '50', '-pix_fmt', 'yuv420p', '-c:a', 'aac', ...(o.audioKbps ? ['-b:a', `${o.audioKbps}k`] : []),
    '-t', String(o.seconds), '-f', 'flv', file]);
}

export interface ProbePacket {
  codec_type: 'video' | 'audio';
  stream_index: number;
  pts?: number;
  dts?: number;
  pts_time?: string;
  dts_time?: string;
  duration_time?: string;
  flags: string;
}
export interface ProbeStream { index: number; codec_type: string; codec_name: string; width?: number; height?: number; profile?: string; sample_rate?: string; channels?: number }
export interface Probe {
  streams: ProbeStream[];
  packets: ProbePacket[];
  format: { duration?: string; start_time?: string; format_name: string; nb_streams: number };
  stderr: string;
}

/** ffprobe -show_streams -show_packets -show_format as JSON (stderr kept: warnings mean broken output). */
export async function ffprobe(file: string): Promise<Probe> {
  const { stdout, stderr } = await run('ffprobe', ['-v', 'warning', '-show_streams', '-show_packets', '-show_format', '-of', 'json', file], {
    timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = JSON.parse(stdout) as Omit<Probe, 'stderr'>;
  return { ...parsed, packets: parsed.packets ?? [], stderr };
}

/** Decodes every frame of `file` with ffmpeg; returns what it complained about ('' for a clean stream). */
export async function decodeErrors(file: string): Promise<string> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], { timeout: TIMEOUT_MS });
  return stderr;
}
