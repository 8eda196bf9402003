// ffmpeg-family tools for tests (ffmpeg publishers and recorders, rtmpdump, ffprobe); every child is tracked
// and killed by `killAll()` (call it in afterAll) or at process exit.
import { spawn, execFile, type ChildProcess } from 'node:child_process';

export interface TestStreamOptions {
  /** default true */
  audio?: boolean;
  /** default true */
  video?: boolean;
  /** stop after this many seconds (default: run until stopped) */
  durationS?: number;
  /** read input at native rate, like a live encoder (default true) */
  realtime?: boolean;
  /** default 320x240 */
  size?: string;
  /** default 25 */
  fps?: number;
  /** keyframe interval in frames (default 2 s worth) */
  gop?: number;
  /** a video filter, e.g. 'noise=alls=60:allf=t+u' for a near-incompressible, high-bitrate picture */
  videoFilter?: string;
  /** extra output args placed before the destination */
  extraArgs?: string[];
}

export interface ChildHandle {
  proc: ChildProcess;
  /** resolves when the process has exited */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** what the process wrote on stderr so far (last 64 KB) */
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once exited */
  stop(graceMs?: number): Promise<void>;
}

const children = new Set<ChildHandle>();
process.once('exit', () => {
  for (const c of children) c.proc.kill('SIGKILL');
});

/** Spawn any tool as a tracked child (stdout ignored, stderr kept). */
export function spawnTracked(cmd: string, args: string[]): ChildHandle {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString('utf8')).slice(-65536);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
    proc.once('error', () => resolve({ code: -1, signal: null }));
  });
  const handle: ChildHandle = {
    proc,
    exited,
    stderr: () => err,
    async stop(graceMs = 2000) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      children.delete(handle);
    },
  };
  children.add(handle);
  void exited.then(() => children.delete(handle));
  return handle;
}

/** lavfi inputs and codec args for a generated H.264 + AAC test stream (either part may be left out). */
export function testStreamArgs(opts: TestStreamOptions = {}): string[] {
  const { audio = true, video = true, realtime = true, size = '320x240', fps = 25 } = opts;
  const gop = opts.gop ?? fps * 2;
  const args: string[] = [];
  if (video) args.push(...(realtime ? ['-re'] : []), '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${fps}`);
  if (audio) args.push(...(realtime ? ['-re'] : []), '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100');
  if (opts.durationS !== undefined) args.push('-t', String(opts.durationS));
  if (video && opts.videoFilter) args.push('-vf', opts.videoFilter);
  if (video) args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(gop), '-pix_fmt', 'yuv420p');
  if (audio) args.push('-c:a', 'aac', '-b:a', '64k');
  return args;
}

/** Publish a generated stream to an RTMP URL with ffmpeg. */
export function publish(url: string, opts: TestStreamOptions = {}): ChildHandle {
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', ...testStreamArgs(opts), ...(opts.extraArgs ?? []), '-f', 'flv', url];
  return spawnTracked('ffmpeg', args);
}

/** Copy what a player URL (RTMP, HTTP-FLV, HLS) delivers into a file with ffmpeg for `durationS` seconds. */
export function record(url: string, outFile: string, durationS: number): ChildHandle {
  return spawnTracked('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', url, '-t', String(durationS), '-c', 'copy', outFile]);
}

/** Play an RTMP URL with rtmpdump into a file (live mode; stops after `seconds` of buffering at most). */
export function rtmpdump(url: string, outFile: string, seconds = 3): ChildHandle {
  return spawnTracked('rtmpdump', ['-q', '-r', url, '-o', outFile, '--live', '-B', String(seconds)]);
}

export interface ProbeStream { index: number; codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string; channels?: number }
export interface ProbeResult { streams: ProbeStream[]; format?: { format_name: string; duration?: string } }

/** ffprobe a file or URL; rejects on a probe failure or after `timeoutMs`. */
export function ffprobeJson(target: string, timeoutMs = 15000): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', target],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`ffprobe ${target} failed: ${err.message} ${stderr}`));
        else resolve(JSON.parse(stdout) as ProbeResult);
      },
    );
  });
}

/** Stop every tracked child (afterAll). */
export async function killAll(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop(500)));
}
