// Measures how fast HlsPipeline turns FLV tags into MPEG-TS segments on this machine (CPU time, one core).
import { HlsPipeline } from '../../../../server/media/hls';

export interface MuxThroughput {
  /** FLV input bytes pushed per CPU-second */
  inputMBps: number;
  /** MPEG-TS bytes produced per CPU-second */
  outputMBps: number;
  /** share of one core one stream of `bitrateBps` would cost */
  coreShareAt(bitrateBps: number): number;
}

/** Runs `tags` (header first, as the hub hands them) through fresh pipelines `rounds` times. */
export function measureMuxThroughput(tags: Buffer[], rounds = 20, fragmentS = 2): MuxThroughput {
  const inBytes = tags.reduce((n, t) => n + t.length, 0);
  let outBytes = 0;
  const once = (): void => {
    const p = new HlsPipeline({ fragmentS });
    for (const t of tags) for (const s of p.pushTag(t)) outBytes += s.bytes;
    const last = p.flush();
    if (last) outBytes += last.bytes;
  };
  once(); // warm up the JIT before measuring
  outBytes = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < rounds; i++) once();
  const used = process.cpuUsage(start);
  const cpuS = (used.user + used.system) / 1e6;
  const inputMBps = (inBytes * rounds) / cpuS / 1e6;
  return {
    inputMBps,
    outputMBps: outBytes / cpuS / 1e6,
    coreShareAt: (bitrateBps) => bitrateBps / 8 / 1e6 / inputMBps,
  };
}
