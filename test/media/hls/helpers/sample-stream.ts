// Synthetic sample streams for Segmenter tests, and a compact view of the segments that come out.
import type { Segmenter } from '../../../../server/media/hls/segmenter';
import type { CompletedSegment, MediaSample } from '../../../../server/media/hls/types';

export interface GenOptions { seconds: number; fps?: number; gopS?: number | null; video?: boolean; audio?: boolean; startTicks?: number }

/**
 * A synthetic stream in DTS order: video frames every 1/fps s (keyframes every gopS), audio frames every
 * 40 ms on the same clock, so every expected duration below is a whole number of frames.
 */
export function stream(o: GenOptions): MediaSample[] {
  const fps = o.fps ?? 25;
  const start = o.startTicks ?? 0;
  const end = start + o.seconds * 90000;
  const out: MediaSample[] = [];
  if (o.video ?? true) {
    const step = 90000 / fps;
    for (let i = 0, t = start; t < end; i++, t += step) {
      const key = o.gopS === null ? i === 0 : i % Math.round((o.gopS ?? 1) * fps) === 0;
      out.push({ kind: 'video', dts: t, pts: t, key, chunks: [Buffer.alloc(300, key ? 0x65 : 0x41)] });
    }
  }
  if (o.audio ?? true) for (let t = start; t < end; t += 3600) out.push({ kind: 'audio', dts: t, pts: t, chunks: [Buffer.alloc(50, 0xaa)] });
  return out.sort((a, b) => a.dts - b.dts);
}

export function run(seg: Segmenter, samples: MediaSample[]): CompletedSegment[] {
  const out: CompletedSegment[] = [];
  for (const s of samples) out.push(...seg.push(s));
  return out;
}

export const summary = (segs: CompletedSegment[]): Array<[number, number, boolean, boolean]> =>
  segs.map((s) => [s.index, Number(s.durationS.toFixed(3)), s.discontinuity, s.firstKeyframe]);
