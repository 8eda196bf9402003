// An MP4 library file as the Segmenter's input: mp4box.js parses the boxes (moov anywhere in the file), its sample
// tables give every sample's offset, size and times; the bytes are read as needed and become H.264 Annex-B access
// units (the same conversion FLV frames get) and ADTS-framed AAC, in decode order across both tracks, 90 kHz.
import { open, type FileHandle } from 'node:fs/promises';
import { parseAacConfig, adtsHeader, type AacConfig } from '../media/hls/adts';
import { annexBParameterSets, avccToAnnexB, type AvcConfig } from '../media/hls/avc';
import type { MediaSample, StreamConfig } from '../media/hls/types';
import { VodInputError } from './flv-file-tags';
import { readMovie, type Mp4box } from './mp4box-lib';
import { RangeReader } from './range-reader';


interface TrackPlan {
  kind: 'video' | 'audio';
  samples: Mp4box.Sample[];
  timescale: number;
  next: number;
}

export interface Mp4Source {
  config: StreamConfig;
  samples: AsyncGenerator<MediaSample>;
}

async function parseMovie(fh: FileHandle, size: number): Promise<{ file: Mp4box.ISOFile; info: Mp4box.Movie }> {
  const movie = await readMovie(fh, size);
  if (!movie) throw new VodInputError('no MP4 movie header (moov) found');
  return movie;
}

function avcConfigOf(entry: Mp4box.Box): AvcConfig {
  const c = (entry as unknown as { avcC?: Record<string, unknown> }).avcC as
    | { AVCProfileIndication: number; profile_compatibility: number; AVCLevelIndication: number; lengthSizeMinusOne: number;
        SPS: { data: Uint8Array }[]; PPS: { data: Uint8Array }[] }
    | undefined;
  if (!c) throw new VodInputError('H.264 track without avcC');
  return {
    profile: c.AVCProfileIndication,
    compatibility: c.profile_compatibility,
    level: c.AVCLevelIndication,
    nalLengthSize: c.lengthSizeMinusOne + 1,
    sps: c.SPS.map((n) => Buffer.from(n.data)),
    pps: c.PPS.map((n) => Buffer.from(n.data)),
  };
}

/** The AudioSpecificConfig: the DecoderSpecificInfo (tag 5) inside the esds' DecoderConfigDescriptor (tag 4). */
function aacConfigOf(entry: Mp4box.Box): AacConfig {
  type Desc = { tag: number; data?: Uint8Array; descs?: Desc[] };
  const esd = (entry as unknown as { esds?: { esd?: Desc } }).esds?.esd;
  const dsi = esd?.descs?.find((d) => d.tag === 4)?.descs?.find((d) => d.tag === 5)?.data;
  if (!dsi) throw new VodInputError('AAC track without AudioSpecificConfig');
  return parseAacConfig(Buffer.from(dsi));
}

/** Opens an MP4 (H.264 and/or AAC); throws VodInputError naming what it cannot carry. */
export async function openMp4Source(path: string): Promise<Mp4Source> {
  const fh = await open(path, 'r');
  try {
    const { file, info } = await parseMovie(fh, (await fh.stat()).size);
    const plans: TrackPlan[] = [];
    let avc: AvcConfig | null = null;
    let aac: AacConfig | null = null;
    for (const t of info.tracks) {
      const entry = file.getTrackById(t.id).mdia.minf.stbl.stsd.entries[0] as unknown as Mp4box.Box;
      const type = (entry as { type: string }).type;
      if ((type === 'avc1' || type === 'avc3') && !avc) {
        avc = avcConfigOf(entry);
        plans.push({ kind: 'video', samples: file.getTrackSamplesInfo(t.id), timescale: t.timescale, next: 0 });
      } else if (type === 'mp4a' && !aac) {
        aac = aacConfigOf(entry);
        plans.push({ kind: 'audio', samples: file.getTrackSamplesInfo(t.id), timescale: t.timescale, next: 0 });
      } else if (t.type === 'video' || t.type === 'audio' || type === 'hvc1' || type === 'hev1') {
        throw new VodInputError(`codec ${t.codec} is not supported (H.264 and AAC only)`);
      }
    }
    if (plans.length === 0) throw new VodInputError('no H.264 or AAC track');
    const sets = avc ? annexBParameterSets(avc) : null;
    const config: StreamConfig = { tracks: { video: avc !== null, audio: aac !== null }, parameterSets: sets };
    return { config, samples: samplesOf(fh, plans, avc, aac, sets) };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

const ticks = (t: number, timescale: number): number => Math.round((t * 90000) / timescale);

async function* samplesOf(fh: FileHandle, plans: TrackPlan[], avc: AvcConfig | null, aac: AacConfig | null, sets: Buffer | null): AsyncGenerator<MediaSample> {
  const reader = new RangeReader(fh);
  try {
    for (;;) {
      // the track whose next sample decodes first (ties: the one stored first, to keep reads ascending)
      let best: TrackPlan | null = null;
      for (const p of plans) {
        const s = p.samples[p.next];
        if (!s) continue;
        const b = best ? best.samples[best.next]! : null;
        const t = s.dts / p.timescale;
        if (!b || t < b.dts / best!.timescale || (t === b.dts / best!.timescale && s.offset < b.offset)) best = p;
      }
      if (!best) return;
      const s = best.samples[best.next++]!;
      const data = await reader.read(s.offset, s.size);
      const dts = ticks(s.dts, s.timescale);
      if (best.kind === 'video') {
        const chunks = avccToAnnexB(data, avc!, s.is_sync, sets!);
        if (chunks) yield { kind: 'video', dts, pts: ticks(s.cts, s.timescale), key: s.is_sync, chunks };
      } else if (data.length > 0) {
        yield { kind: 'audio', dts, pts: dts, chunks: [adtsHeader(aac!, data.length), data] };
      }
    }
  } finally {
    await fh.close();
  }
}
