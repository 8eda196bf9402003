// Makes a library video's VOD HLS once, by remuxing through the live path's own muxer (never re-encoding):
// FLV tags → HlsPipeline (our FLV demuxer + Segmenter), MP4 samples → the same Segmenter. Everything is written into
// a temp folder that is renamed to DATA_DIR/vod-hls/<id>/ at the end, so a crash mid-make leaves nothing listed.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HlsPipeline, Segmenter, releaseTsChunks, vodPlaylist, type CompletedSegment } from '../media/hls';
import { VOD_PLAYLIST, segmentName } from '../media/hls-output/hls-paths';
import { VodInputError, flvFileTags } from './flv-file-tags';
import { openMp4Source } from './mp4-file-samples';

export interface VodHlsSource {
  path: string;
  format: 'flv' | 'mp4';
}

export interface VodHlsResult {
  segments: number;
  /** sum of the EXTINF values */
  durationS: number;
}

interface Listed {
  index: number;
  durationS: number;
  discontinuity: boolean;
}

/** Writes segments as they complete (one in memory at a time) and remembers what the playlist lists. */
class SegmentSink {
  readonly listed: Listed[] = [];
  constructor(private readonly dir: string) {}

  async put(seg: CompletedSegment | null): Promise<void> {
    if (!seg) return;
    try {
      const fh = await open(join(this.dir, segmentName(seg.index)), 'w');
      try {
        await fh.writev(seg.chunks as Buffer[]);
      } finally {
        await fh.close();
      }
    } finally {
      releaseTsChunks(seg.chunks);
    }
    if (seg.durationS > 0) this.listed.push({ index: seg.index, durationS: seg.durationS, discontinuity: seg.discontinuity });
  }
}

async function remuxFlv(path: string, fragmentS: number, sink: SegmentSink): Promise<void> {
  const hls = new HlsPipeline({ fragmentS });
  for await (const tag of flvFileTags(path)) for (const seg of hls.pushTag(tag)) await sink.put(seg);
  await sink.put(hls.flush());
  const info = hls.info;
  if (!info.video && !info.audio) {
    throw new VodInputError(info.unsupported.length ? info.unsupported.join('; ') : 'no H.264 or AAC track in the FLV');
  }
}

async function remuxMp4(path: string, fragmentS: number, sink: SegmentSink): Promise<void> {
  const src = await openMp4Source(path);
  const seg = new Segmenter({ fragmentS, tracks: src.config.tracks });
  seg.setVideoParameterSets(src.config.parameterSets);
  for await (const s of src.samples) for (const done of seg.push(s)) await sink.put(done);
  await sink.put(seg.flush());
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/**
 * Makes `outDir` (index.m3u8 + <n>.ts) from `source` unless it is there already. Throws VodInputError for input
 * that cannot be carried; on any failure the temp folder goes and `outDir` is untouched.
 */
export async function makeVodHls(source: VodHlsSource, outDir: string, fragmentS: number): Promise<VodHlsResult> {
  const tmp = `${outDir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(tmp, { recursive: true });
  try {
    const sink = new SegmentSink(tmp);
    if (source.format === 'flv') await remuxFlv(source.path, fragmentS, sink);
    else await remuxMp4(source.path, fragmentS, sink);
    if (sink.listed.length === 0) throw new VodInputError('no media frames to segment');
    const segments = sink.listed.map((l) => ({ uri: segmentName(l.index), durationS: l.durationS, discontinuity: l.discontinuity }));
    await writeFile(join(tmp, VOD_PLAYLIST), vodPlaylist({ segments, ended: true }));
    if (await exists(join(outDir, VOD_PLAYLIST))) {
      await rm(tmp, { recursive: true, force: true }); // another process made it meanwhile: theirs stays
    } else {
      await rm(outDir, { recursive: true, force: true }); // an unlisted leftover (no playlist) is not a rendition
      await rename(tmp, outDir);
    }
    return { segments: segments.length, durationS: segments.reduce((a, s) => a + Number(s.durationS.toFixed(3)), 0) };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
