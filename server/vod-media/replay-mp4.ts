// One MP4 of an ended broadcast's replay, from its TS segments without re-encoding: each segment is demuxed
// (ts-demux), reshaped for MP4 (elementary), its samples appended to a temp mdat file while the sample tables grow;
// then ftyp + moov (mp4-header) and the mdat are written to a temp file renamed into place. Faststart: moov first.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { spsPictureSize } from '../media/hls/sps';
import { VOD_PLAYLIST } from '../media/hls-output/hls-paths';
import { accessUnitToAvcc, audioSpecificConfig, avcDecoderConfig, esDescriptor, splitAdts, type AdtsInfo } from './elementary';
import { mp4Header, type TrackTable } from './mp4-header';
import { demuxTs } from './ts-demux';

const TS_CLOCK = 2 ** 33;

export class ReplayNotEndedError extends Error {}
export class ReplayMediaError extends Error {}

export interface ReplaySegment {
  uri: string;
  durationS: number;
  discontinuity: boolean;
}

/** The segments of a VOD playlist as our recorder writes it; null while it has no ENDLIST (still live). */
export function parseReplayPlaylist(text: string): ReplaySegment[] | null {
  if (!/^#EXT-X-ENDLIST\s*$/m.test(text)) return null;
  const out: ReplaySegment[] = [];
  let durationS = 0;
  let discontinuity = false;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXTINF:')) durationS = Number.parseFloat(line.slice(8));
    else if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
    else if (/^\d{1,9}\.ts$/.test(line)) {
      out.push({ uri: line, durationS, discontinuity });
      discontinuity = false;
    }
  }
  return out;
}

interface Growing {
  table: TrackTable;
  last: number;
}

const newTable = (spec: TrackTable['spec'], timescale: number, video: boolean): Growing => ({
  table: { spec, timescale, dts: [], sizes: [], chunks: [], ...(video ? { cts: [], keys: [] } : {}) },
  last: -Infinity,
});

/** 33-bit timestamp → a continuous value near `ref` (the previous one), across the wrap. */
function unwrap(t: number, ref: number | null): number {
  if (ref === null) return t;
  const k = Math.round((ref - t) / TS_CLOCK);
  return t + k * TS_CLOCK;
}

export interface ReplayMp4Result {
  durationS: number;
  bytes: number;
}

/** Writes `outFile` from the replay in `dir`. Throws ReplayNotEndedError while it is live, ReplayMediaError for no media. */
export async function makeReplayMp4(dir: string, outFile: string): Promise<ReplayMp4Result> {
  const segments = parseReplayPlaylist(await readFile(join(dir, VOD_PLAYLIST), 'utf8'));
  if (!segments) throw new ReplayNotEndedError('the broadcast is still live');
  // `<file>.<pid>.<hex>.tmp`: what the recorder's crash recovery (tidyBroadcast) removes for a dead process
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const mdatFile = `${outFile}.mdat.${tag}.tmp`;
  const tmp = `${outFile}.${tag}.tmp`;
  const mdat = await open(mdatFile, 'w');
  try {
    let written = 0;
    let video: Growing | null = null;
    let audio: Growing | null = null;
    let adts: AdtsInfo | null = null;
    let elapsedS = 0;
    let offset = 0; // 90 kHz: added to a run's stream times to place them on the file's timeline
    let ref: number | null = null;
    const put = async (g: Growing, samples: { t: number; data: Buffer; cts?: number; key?: boolean }[]): Promise<void> => {
      if (samples.length === 0) return;
      const t = g.table;
      t.chunks.push({ first: t.dts.length, count: samples.length, offset: written });
      for (const s of samples) {
        const dts = Math.max(s.t, g.last + 1); // strictly ascending whatever the stream said
        g.last = dts;
        t.dts.push(dts);
        t.sizes.push(s.data.length);
        if (t.cts) t.cts.push(Math.max(0, s.cts ?? 0));
        if (s.key) t.keys!.push(t.dts.length);
      }
      await mdat.writev(samples.map((s) => s.data));
      written += samples.reduce((a, s) => a + s.data.length, 0);
    };
    for (const [i, seg] of segments.entries()) {
      const ts = demuxTs(await readFile(join(dir, seg.uri)));
      const first = ts.video[0]?.dts ?? ts.audio[0]?.pts;
      if (first === undefined) continue;
      const start = unwrap(first, ref);
      // a new run (the first, or after a reconnect's discontinuity) starts where the playlist says it does
      if (i === 0 || seg.discontinuity || ref === null) offset = Math.round(elapsedS * 90000) - start;
      elapsedS += seg.durationS;
      const vs: { t: number; data: Buffer; cts: number; key: boolean }[] = [];
      for (const u of ts.video) {
        const dts = unwrap(u.dts, ref);
        ref = dts;
        const s = accessUnitToAvcc(u.data);
        if (!video && s.sps && s.pps) {
          const size = spsPictureSize(s.sps);
          video = newTable({ kind: 'video', avcC: avcDecoderConfig(s.sps, s.pps), width: size?.width ?? 0, height: size?.height ?? 0 }, 90000, true);
        }
        if (!video || s.data.length === 0) continue; // frames before the first parameter sets cannot be decoded
        vs.push({ t: dts + offset, data: s.data, cts: unwrap(u.pts, dts) - dts, key: s.key });
      }
      if (video) await put(video, vs);
      const as: { t: number; data: Buffer }[] = [];
      for (const u of ts.audio) {
        const pts = unwrap(u.pts, ref);
        ref ??= pts;
        const { frames, info } = splitAdts(u.data);
        if (!info) continue;
        if (!audio) {
          adts = info;
          audio = newTable({ kind: 'audio', esDescriptor: esDescriptor(audioSpecificConfig(info), 2), sampleRate: info.sampleRate, channels: info.channels }, info.sampleRate, false);
        }
        frames.forEach((data, k) => {
          const t90 = pts + offset + (k * 1024 * 90000) / adts!.sampleRate;
          as.push({ t: Math.round((t90 * adts!.sampleRate) / 90000), data });
        });
      }
      if (audio) await put(audio, as);
    }
    const tracks = [video, audio].filter((g): g is Growing => g !== null && g.table.dts.length > 0).map((g) => g.table);
    if (tracks.length === 0) throw new ReplayMediaError('the replay has no media');
    // each MP4 track starts at its first sample: edit lists keep the later one where it was (and skip B-frame delay)
    const startS = (t: TrackTable): number => (t.dts[0]! + (t.cts?.[0] ?? 0)) / t.timescale;
    const zeroS = Math.min(...tracks.map(startS));
    for (const t of tracks) t.edit = { emptyS: startS(t) - zeroS, mediaTime: t.cts?.[0] ?? 0 };
    await mdat.close();
    const header = mp4Header(tracks, written);
    const out = createWriteStream(tmp);
    out.write(header);
    await pipeline(createReadStream(mdatFile), out);
    await rename(tmp, outFile);
    const spans = tracks.map((t) => (t.dts.at(-1)! - t.dts[0]!) / t.timescale);
    return { durationS: Math.max(...spans), bytes: header.length + written };
  } finally {
    await mdat.close().catch(() => undefined);
    await rm(mdatFile, { force: true });
    await rm(tmp, { force: true });
  }
}
