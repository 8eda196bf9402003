// Probes a library file by its name's extension (VIDEO_NAME_PATTERN allows .flv and .mp4 only); an upload's part
// file is probed under the name it will have.
import { probeFlv } from './probe-flv';
import { probeMp4 } from './probe-mp4';
import type { ProbeResult } from './probe-result';

export function probeVideo(path: string, name = path): Promise<ProbeResult> {
  return name.toLowerCase().endsWith('.flv') ? probeFlv(path) : probeMp4(path);
}
