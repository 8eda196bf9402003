// An MP4 library file's index: mp4box.js parses the boxes (moov anywhere; only boxes are read, never mdat), and
// the sample tables are kept as typed arrays (offset, size, times, sync) — a few bytes per sample, shared by every
// player. Playing reads each sample by offset through the shared blocks and frames it as an FLV AVC/AAC tag.
import { open, type FileHandle } from 'node:fs/promises';
import { VodInputError } from '../../vod-media/flv-file-tags';
import { readMovie, type Mp4box } from '../../vod-media/mp4box-lib';
import { aacSequenceHeader, avcSequenceHeader, avcSize, keyframeBefore, type AvcRecordFields } from './media-info';
import type { BlockReader, VodCursor, VodIndex, VodTag } from './types';

const AUDIO_HEAD = Buffer.from([0xaf, 1]); // AAC raw frame; shared, never written

interface Track {
  offset: Float64Array;
  size: Uint32Array;
  /** decode time, ms */
  dts: Float64Array;
  /** composition offset, ms (video) */
  cto: Int32Array;
  sync: Uint8Array;
}

async function parseMovie(fh: FileHandle, size: number): Promise<{ file: Mp4box.ISOFile; info: Mp4box.Movie }> {
  const movie = await readMovie(fh, size);
  if (!movie) throw new VodInputError('no MP4 movie header (moov) found');
  return movie;
}

/**
 * Where the track's media starts on the movie timeline (ms; negative when its edit list skips media): an empty edit
 * delays it, a media_time skips the start (a B-frame stream's first composition offset). Without it audio and video
 * would be off by that much.
 */
function editOffsetMs(trak: unknown, movieTimescale: number, timescale: number): number {
  type Entry = { segment_duration: number; media_time: number };
  const entries = (trak as { edts?: { elst?: { entries?: Entry[] } } }).edts?.elst?.entries ?? [];
  let empty = 0;
  for (const e of entries) {
    if (e.media_time === -1) empty += movieTimescale > 0 ? (e.segment_duration * 1000) / movieTimescale : 0;
    else return empty - (timescale > 0 ? (e.media_time * 1000) / timescale : 0);
  }
  return empty;
}

function trackOf(samples: Mp4box.Sample[], offsetMs: number): Track {
  const n = samples.length;
  const t: Track = { offset: new Float64Array(n), size: new Uint32Array(n), dts: new Float64Array(n), cto: new Int32Array(n), sync: new Uint8Array(n) };
  samples.forEach((s, i) => {
    t.offset[i] = s.offset;
    t.size[i] = s.size;
    t.dts[i] = Math.round((s.dts * 1000) / s.timescale + offsetMs);
    t.cto[i] = Math.round(((s.cts - s.dts) * 1000) / s.timescale);
    t.sync[i] = s.is_sync ? 1 : 0;
  });
  return t;
}

function ascOf(entry: unknown): Uint8Array {
  type Desc = { tag: number; data?: Uint8Array; descs?: Desc[] };
  const esd = (entry as { esds?: { esd?: Desc } }).esds?.esd;
  const dsi = esd?.descs?.find((d) => d.tag === 4)?.descs?.find((d) => d.tag === 5)?.data;
  if (!dsi) throw new VodInputError('AAC track without AudioSpecificConfig');
  return dsi;
}

/** `blocks`: how players read the file (shared blocks, see block-cache.ts) */
export async function indexMp4(path: string, blocks: BlockReader): Promise<VodIndex> {
  const fh = await open(path, 'r');
  let video: Track | null = null;
  let audio: Track | null = null;
  let videoHeader: Buffer | null = null;
  let audioHeader: Buffer | null = null;
  let audioSampleRate = 0;
  let audioChannels = 0;
  let durationMs = 0;
  try {
    const { file, info } = await parseMovie(fh, (await fh.stat()).size);
    // FLV times cannot go negative: every track moves by the same amount so the earliest starts at 0
    const offsets = new Map(info.tracks.map((t) => [t.id, editOffsetMs(file.getTrackById(t.id), info.timescale, t.timescale)]));
    const shift = -Math.min(0, ...offsets.values());
    for (const t of info.tracks) {
      const entry = file.getTrackById(t.id).mdia.minf.stbl.stsd.entries[0] as unknown as { type: string; avcC?: AvcRecordFields };
      if ((entry.type === 'avc1' || entry.type === 'avc3') && !video) {
        if (!entry.avcC) throw new VodInputError('H.264 track without avcC');
        videoHeader = avcSequenceHeader(entry.avcC);
        video = trackOf(file.getTrackSamplesInfo(t.id), offsets.get(t.id)! + shift);
      } else if (entry.type === 'mp4a' && !audio) {
        audioHeader = aacSequenceHeader(ascOf(entry));
        audio = trackOf(file.getTrackSamplesInfo(t.id), offsets.get(t.id)! + shift);
        audioSampleRate = t.audio?.sample_rate ?? 0;
        audioChannels = t.audio?.channel_count ?? 0;
      } else if (t.type === 'video' || t.type === 'audio') {
        throw new VodInputError(`codec ${t.codec} is not supported (H.264 and AAC only)`);
      }
      if (t.timescale > 0) durationMs = Math.max(durationMs, (t.duration * 1000) / t.timescale);
    }
    if (info.timescale > 0 && info.duration > 0) durationMs = (info.duration * 1000) / info.timescale;
  } finally {
    await fh.close();
  }
  if (!video && !audio) throw new VodInputError('no H.264 or AAC track');
  const lastTs = Math.max(video ? video.dts[video.dts.length - 1] ?? 0 : 0, audio ? audio.dts[audio.dts.length - 1] ?? 0 : 0);
  // keyframe times for seeking: the video's sync samples (an audio-only file seeks to any frame)
  const keys = video ? syncTimes(video) : audio!.dts;
  const size = videoHeader ? avcSize(videoHeader.subarray(5)) : { width: 0, height: 0 };
  return {
    format: 'mp4', durationMs: Math.round(durationMs), lastTs, videoHeader, audioHeader, width: size.width, height: size.height,
    audioSampleRate, audioChannels,
    keyframeAt: (ms) => keys[keyframeBefore(keys, ms)] ?? 0,
    open: async (ms) => {
      const start = keys[keyframeBefore(keys, ms)] ?? 0;
      return new Mp4Cursor(await open(path, 'r'), blocks, video, audio, start);
    },
  };
}

function syncTimes(t: Track): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < t.sync.length; i++) if (t.sync[i]) out.push(t.dts[i]!);
  return Float64Array.from(out);
}

/** first index whose dts >= ms */
function firstAtOrAfter(dts: Float64Array, ms: number): number {
  let lo = 0;
  let hi = dts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dts[mid]! < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class Mp4Cursor implements VodCursor {
  private v: number;
  private a: number;

  constructor(private readonly fh: FileHandle, private readonly blocks: BlockReader, private readonly video: Track | null,
    private readonly audio: Track | null, startMs: number) {
    this.v = video ? firstAtOrAfter(video.dts, startMs) : 0;
    this.a = audio ? firstAtOrAfter(audio.dts, startMs) : 0;
  }

  async next(): Promise<VodTag | null> {
    const { video: vt, audio: at } = this;
    const vOk = vt !== null && this.v < vt.dts.length;
    const aOk = at !== null && this.a < at.dts.length;
    if (!vOk && !aOk) return null;
    // the track whose next sample decodes first (ties: the one stored first, so reads stay ascending)
    const takeVideo = vOk && (!aOk || vt.dts[this.v]! < at!.dts[this.a]! ||
      (vt.dts[this.v] === at!.dts[this.a] && vt.offset[this.v]! <= at!.offset[this.a]!));
    if (takeVideo) {
      const i = this.v++;
      const body = await this.sample(vt!.offset[i]!, vt!.size[i]!);
      const cto = vt!.cto[i]!;
      const head = Buffer.from([vt!.sync[i] ? 0x17 : 0x27, 1, (cto >> 16) & 0xff, (cto >> 8) & 0xff, cto & 0xff]);
      return { type: 9, ts: vt!.dts[i]!, head, body };
    }
    const i = this.a++;
    return { type: 8, ts: at!.dts[i]!, head: AUDIO_HEAD, body: await this.sample(at!.offset[i]!, at!.size[i]!) };
  }

  /** throws when the file is shorter than its sample table says (a truncated upload) */
  private async sample(offset: number, size: number): Promise<Buffer> {
    const body = await this.blocks(this.fh, offset, size);
    if (body.length < size) throw new RangeError(`file ends before byte ${offset + size}`);
    return body;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
