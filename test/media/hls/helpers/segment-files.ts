// Runs FLV files through HlsPipeline the way the hub would, and writes the segments out for ffprobe.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HlsPipeline } from '../../../../server/media/hls';
import type { CompletedSegment } from '../../../../server/media/hls';
import { splitFlv } from './flv-file';

/** Pushes every tag of `flvFile`; returns the segments completed on the way (no flush). */
export function pushFlvFile(p: HlsPipeline, flvFile: string): CompletedSegment[] {
  const out: CompletedSegment[] = [];
  for (const buf of splitFlv(readFileSync(flvFile))) out.push(...p.pushTag(buf));
  return out;
}

/** Writes `<index>.ts` files into dir; returns their paths in order. */
export function writeSegments(dir: string, segs: CompletedSegment[]): string[] {
  return segs.map((s) => {
    const file = join(dir, `${s.index}.ts`);
    writeFileSync(file, Buffer.concat(s.chunks));
    return file;
  });
}
