// Real peers for media tests: ffmpeg generates inputs, ffprobe judges outputs. Every run is bounded.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TIMEOUT_MS = 60000;

/** Runs ffmpeg with `args` (quiet, overwrite) and resolves when it exits 0. */
export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { timeout: TIMEOUT_MS });
}

/**
 * A 25 fps H.264 + AAC FLV (2 s GOP) at a real bitrate: noise keeps x264 at its rate cap, so the stream
 * really is about `videoKbps`, unlike a plain test pattern that compresses to almost nothing.
 */
export async function encodeRateCappedFlv(
  file: string, o: { size: string; videoKbps: number; noise: number; seconds: number; audioKbps?: number },
): Promise<void> {
  const rate = `${o.videoKbps}k`;
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${o.size}:rate=25`, '-f', 'lavfi', '-i', 'sine=sample_rate=44100',
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
