// The ftyp + moov of a progressive (faststart) MP4 whose mdat follows right after: mp4box.js builds and serialises
// the boxes; we fill the sample tables (stts, ctts, stss, stsc, stsz, stco/co64) from what the caller collected.
import { mp4box } from './mp4box-lib';

export interface VideoTrackSpec {
  kind: 'video';
  avcC: Buffer;
  width: number;
  height: number;
}
export interface AudioTrackSpec {
  kind: 'audio';
  esDescriptor: Buffer;
  sampleRate: number;
  channels: number;
}

export interface TrackTable {
  spec: VideoTrackSpec | AudioTrackSpec;
  timescale: number;
  /** decode times, strictly ascending */
  dts: number[];
  /** composition offsets (video), same length as dts */
  cts?: number[];
  sizes: number[];
  /** 1-based numbers of sync samples (video) */
  keys?: number[];
  /** runs of consecutive samples stored together: offset is relative to the mdat payload's first byte */
  chunks: { first: number; count: number; offset: number }[];
  /**
   * Edit list: `emptyS` seconds before the track starts (it begins later than the other), then its media from
   * `mediaTime` (track timescale; a B-frame stream's first composition offset) on. Keeps the tracks in sync.
   */
  edit?: { emptyS: number; mediaTime: number };
}

const MOVIE_TIMESCALE = 1000;

type Loose = Record<string, unknown> & { boxes: Loose[]; addBox(b: unknown): Loose };

/** An empty box of mp4box's registry by its four-character code. */
function newBox(fourcc: 'co64' | 'ctts' | 'stss' | 'esds' | 'edts' | 'elst'): Loose {
  const ctor = (mp4box().BoxParser.box as unknown as Record<string, new () => Loose>)[fourcc];
  if (!ctor) throw new Error(`mp4box has no ${fourcc} box`);
  return new ctor();
}

/** Run-length pairs of a sequence (stts/ctts layout). */
function runs(values: number[]): { counts: number[]; values: number[] } {
  const counts: number[] = [];
  const out: number[] = [];
  for (const v of values) {
    if (out.length && out[out.length - 1] === v) counts[counts.length - 1]!++;
    else {
      counts.push(1);
      out.push(v);
    }
  }
  return { counts, values: out };
}

/** Sample durations: the gaps between decode times, the last one repeating its predecessor's. */
export function durations(dts: number[]): number[] {
  const d = dts.slice(1).map((t, i) => t - dts[i]!);
  d.push(d.length ? d[d.length - 1]! : 1);
  return d;
}

function fillTables(stbl: Loose, t: TrackTable, base: number, large: boolean): void {
  const stts = stbl.stts as Loose;
  const r = runs(durations(t.dts));
  stts.sample_counts = r.counts;
  stts.sample_deltas = r.values;
  const stsc = stbl.stsc as Loose;
  stsc.first_chunk = [];
  stsc.samples_per_chunk = [];
  stsc.sample_description_index = [];
  t.chunks.forEach((c, i) => {
    const per = stsc.samples_per_chunk as number[];
    if (per.length && per[per.length - 1] === c.count) return;
    (stsc.first_chunk as number[]).push(i + 1);
    per.push(c.count);
    (stsc.sample_description_index as number[]).push(1);
  });
  const stsz = stbl.stsz as Loose;
  stsz.sample_size = 0;
  stsz.sample_sizes = t.sizes;
  const offsets = t.chunks.map((c) => base + c.offset);
  if (large) {
    stbl.boxes = stbl.boxes.filter((b) => b.type !== 'stco');
    const co64 = stbl.addBox(newBox('co64'));
    co64.chunk_offsets = offsets;
  } else (stbl.stco as Loose).chunk_offsets = offsets;
  if (t.cts && t.cts.some((c) => c !== 0)) {
    const c = runs(t.cts);
    const ctts = stbl.addBox(newBox('ctts'));
    ctts.sample_counts = c.counts;
    ctts.sample_offsets = c.values;
  }
  if (t.keys && t.keys.length < t.dts.length) {
    const stss = stbl.addBox(newBox('stss'));
    stss.sample_numbers = t.keys;
  }
}

function build(tracks: TrackTable[], mdatHeader: number, base: number, large: boolean): Buffer {
  const file = mp4box().createFile();
  const moov = (): Loose => file.moov as unknown as Loose;
  const spanS = (t: TrackTable): number => (t.dts.length ? t.dts[t.dts.length - 1]! - t.dts[0]! + durations(t.dts).at(-1)! : 0) / t.timescale;
  const movieS = Math.max(0, ...tracks.map(spanS));
  file.init({ brands: ['isom', 'iso2', 'avc1', 'mp41'], timescale: MOVIE_TIMESCALE, duration: Math.round(movieS * MOVIE_TIMESCALE) });
  for (const t of tracks) {
    const common = { timescale: t.timescale, duration: Math.round(spanS(t) * MOVIE_TIMESCALE), media_duration: Math.round(spanS(t) * t.timescale), language: 'und', name: 'wxlive' };
    const s = t.spec;
    const id = s.kind === 'video'
      ? file.addTrack({ ...common, type: 'avc1', hdlr: 'vide', width: s.width, height: s.height, avcDecoderConfigRecord: new Uint8Array(s.avcC).buffer })
      : file.addTrack({ ...common, type: 'mp4a', hdlr: 'soun', width: 0, height: 0, samplerate: s.sampleRate, channel_count: s.channels, samplesize: 16 });
    const trak = file.getTrackById(id) as unknown as Loose & { mdia: { minf: { stbl: Loose } }; tkhd: Loose };
    if (s.kind === 'audio') {
      const entry = (trak.mdia.minf.stbl.stsd as Loose & { entries: Loose[] }).entries[0]!;
      const esds = newBox('esds');
      esds.data = new Uint8Array(s.esDescriptor);
      entry.addBox(esds);
      trak.tkhd.width = 0;
      trak.tkhd.height = 0;
    }
    fillTables(trak.mdia.minf.stbl, t, base + mdatHeader, large);
    if (t.edit && (t.edit.emptyS > 0 || t.edit.mediaTime > 0)) {
      const elst = newBox('elst');
      const entry = (segmentS: number, mediaTime: number) => ({ segment_duration: Math.round(segmentS * MOVIE_TIMESCALE), media_time: mediaTime, media_rate_integer: 1, media_rate_fraction: 0 });
      elst.entries = [...(t.edit.emptyS > 0 ? [entry(t.edit.emptyS, -1)] : []), entry(spanS(t) - t.edit.mediaTime / t.timescale, t.edit.mediaTime)];
      const edts = newBox('edts');
      edts.addBox(elst);
      trak.boxes.splice(1, 0, edts); // right after tkhd, where players look for it
      trak.edts = edts;
      trak.tkhd.duration = Math.round((t.edit.emptyS + spanS(t) - t.edit.mediaTime / t.timescale) * MOVIE_TIMESCALE);
    }
  }
  // a progressive file: no movie extends box (addTrack prepares one for fragments)
  moov().boxes = moov().boxes.filter((b) => b.type !== 'mvex');
  delete moov().mvex;
  const stream = new (mp4box().DataStream)();
  file.write(stream as never);
  return Buffer.from(stream.buffer as ArrayBuffer, 0, stream.getPosition());
}

/**
 * ftyp + moov + the mdat box header, for a file laid out as that then `mdatPayload` bytes. Built twice: the first
 * pass measures the header, the second writes the chunk offsets that depend on it (their size does not).
 */
export function mp4Header(tracks: TrackTable[], mdatPayload: number): Buffer {
  const large = mdatPayload > 0xffffffff - 64 * 1024 * 1024;
  const mdatHeader = large ? 16 : 8;
  const head = build(tracks, mdatHeader, 0, large).length;
  const moov = build(tracks, mdatHeader, head, large);
  const mdat = Buffer.alloc(mdatHeader);
  if (large) {
    mdat.writeUInt32BE(1, 0);
    mdat.write('mdat', 4, 'latin1');
    mdat.writeBigUInt64BE(BigInt(mdatPayload + 16), 8);
  } else {
    mdat.writeUInt32BE(mdatPayload + 8, 0);
    mdat.write('mdat', 4, 'latin1');
  }
  return Buffer.concat([moov, mdat]);
}
