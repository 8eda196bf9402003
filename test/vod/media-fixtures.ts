// Real media for the library tests, made by ffmpeg once per folder: H.264 + AAC in MP4 and FLV, and files with
// codecs we do not carry (MPEG-4 Part 2 + MP3 in MP4, Sorenson + MP3 in FLV).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const LAVFI = ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'];

export type Fixture = 'good.mp4' | 'good.flv' | 'mpeg4.mp4' | 'sorenson.flv';

const ARGS: Record<Fixture, string[]> = {
  'good.mp4': [...LAVFI, '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-ac', '2'],
  'good.flv': [...LAVFI, '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-ac', '2'],
  'mpeg4.mp4': [...LAVFI, '-t', '2', '-c:v', 'mpeg4', '-c:a', 'libmp3lame'],
  'sorenson.flv': [...LAVFI, '-t', '2', '-c:v', 'flv1', '-c:a', 'libmp3lame'],
};

export async function fixture(dir: string, name: Fixture): Promise<string> {
  const out = join(dir, name);
  if (!existsSync(out)) await run('ffmpeg', ['-loglevel', 'error', '-y', ...ARGS[name], out]);
  return out;
}

/** ffprobe's duration of the container, seconds */
export async function ffprobeDuration(path: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]);
  return Number(stdout.trim());
}
