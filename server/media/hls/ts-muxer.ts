// TsMuxer: media samples in, whole 188-byte MPEG-TS packets out. Keeps continuity counters across
// segments and may gather a few AAC frames per PES (as nginx-rtmp does) to cut packet overhead.
// Packets are written straight into pooled blocks (ts-blocks.ts); takeFull() and takeOutput() hand them over.
import { TsBlocks, type TsOutput } from './ts-blocks';
import {
  PID_AUDIO, PID_PAT, PID_PMT, PID_VIDEO, PTS_DELAY_TICKS, STREAM_ID_AUDIO, STREAM_ID_VIDEO, TS_HEADER_SIZE,
  TS_PAYLOAD_SIZE, adaptationFieldSize, pat, pesHeader, pmt, writeAdaptationField, writePsiPacket, writeTsHeader,
} from './ts-packets';
import type { AudioSample, MediaSample, TrackSet } from './types';

export interface TsMuxerOptions {
  /** next to video, gather AAC frames into one PES until it spans this many 90 kHz ticks (0 = one frame per PES) */
  audioPesMaxTicks?: number;
}

const PAT_SECTION = pat();
/** keep an audio PES well inside the 16-bit PES_packet_length */
const AUDIO_PES_MAX_BYTES = 0xffff - 64;
const DEFAULT_AUDIO_PES_TICKS = 9000; // 100 ms apart: ~5 AAC frames per PES, still frequent for low-latency players

export class TsMuxer {
  private readonly cc = new Map<number, number>();
  private tracks: TrackSet = { video: true, audio: true };
  private readonly audioPesMaxTicks: number;
  private pendingAudio: AudioSample[] = [];
  private pendingAudioBytes = 0;
  private readonly out = new TsBlocks();

  constructor(opts: TsMuxerOptions = {}) {
    this.audioPesMaxTicks = opts.audioPesMaxTicks ?? DEFAULT_AUDIO_PES_TICKS;
  }

  /** Declares the elementary streams for the next segmentStart() (PMT content, PCR PID). */
  setTracks(tracks: TrackSet): void {
    this.tracks = { ...tracks };
  }

  /** Writes PAT + PMT: what every segment must begin with so a player can start at it. */
  segmentStart(): void {
    this.psi(PID_PAT, PAT_SECTION);
    this.psi(PID_PMT, pmt(this.tracks.video, this.tracks.audio));
  }

  /** Writes the packets of one sample (nothing yet while audio frames are being gathered). */
  muxSample(sample: MediaSample): void {
    if (sample.kind === 'video') {
      // PCR on every video PES keeps the PCR interval at one frame (MPEG requires <= 100 ms)
      this.pes(PID_VIDEO, STREAM_ID_VIDEO, sample.pts, sample.dts, sample.chunks, chunksLength(sample.chunks),
        this.tracks.video ? sample.dts : null, sample.key);
      return;
    }
    const size = chunksLength(sample.chunks);
    if (this.pendingAudioBytes + size > AUDIO_PES_MAX_BYTES) this.flush(); // (nothing gathered: a no-op)
    this.pendingAudio.push(sample);
    this.pendingAudioBytes += size;
    this.maybeFlushAudio();
  }

  /** Writes the gathered audio frames as one PES (call before cutting a segment or at stream end). */
  flush(): void {
    const frames = this.pendingAudio;
    if (frames.length === 0) return;
    const first = frames[0]!;
    const parts = frames.length === 1 ? first.chunks : frames.flatMap((f) => f.chunks);
    const bytes = this.pendingAudioBytes;
    this.pendingAudio = [];
    this.pendingAudioBytes = 0;
    const audioOnly = !this.tracks.video;
    // audio-only: PCR rides on audio, and every AAC frame is a random access point
    this.pes(PID_AUDIO, STREAM_ID_AUDIO, first.pts, null, parts, bytes, audioOnly ? first.dts : null, audioOnly);
  }

  /** The output blocks that filled up since the last take (see TsBlocks.takeFull): the caller releases them. */
  takeFull(): readonly Buffer[] {
    return this.out.takeFull();
  }

  /**
   * Every packet written (and not taken by takeFull()) since the last call, in order, with the byte count of
   * all of them (taken ones included); the chunks now belong to the caller (see releaseTsChunks).
   */
  takeOutput(): TsOutput {
    return this.out.take();
  }

  private maybeFlushAudio(): void {
    // audio-only: one frame per PES. Then the audio PES timestamps are the stream's only clock (PCR
    // included) and a segment's measured length ends at its last frame, not at its last gathered PES.
    if (!this.tracks.video) return this.flush();
    const first = this.pendingAudio[0]!;
    const last = this.pendingAudio[this.pendingAudio.length - 1]!;
    if (last.dts - first.dts >= this.audioPesMaxTicks) this.flush();
  }

  private psi(pid: number, section: Buffer): void {
    const off = this.out.reserve();
    writePsiPacket(this.out.block, off, pid, section, this.nextCc(pid));
  }

  private nextCc(pid: number): number {
    const cc = this.cc.get(pid) ?? 0;
    this.cc.set(pid, (cc + 1) & 0x0f);
    return cc;
  }

  /** One PES split into packets, each written in place into the output blocks. */
  private pes(
    pid: number, streamId: number, pts: number, dts: number | null, parts: readonly Buffer[], payloadLength: number,
    pcr: number | null, randomAccess: boolean,
  ): void {
    const header = pesHeader(streamId, pts + PTS_DELAY_TICKS, dts === null ? null : dts + PTS_DELAY_TICKS, payloadLength);
    const firstAf = adaptationFieldSize(pcr !== null, randomAccess);
    let ci = -1; // -1: the PES header, then parts[0..]
    let c = header;
    let cv: DataView | null = null; // `c` as a DataView, made when a long run is first copied out of it
    let co = 0;
    let left = header.length + payloadLength;
    for (let first = true; left > 0; first = false) {
      const flagsSize = first ? firstAf : 0;
      const room = TS_PAYLOAD_SIZE - flagsSize;
      const take = Math.min(room, left);
      const afSize = flagsSize + (room - take); // the last packet's slack becomes adaptation stuffing
      const off = this.out.reserve();
      const out = this.out.block;
      writeTsHeader(out, off, pid, first, afSize > 0, this.nextCc(pid));
      if (afSize > 0) writeAdaptationField(out, off + TS_HEADER_SIZE, afSize, first ? pcr : null, first && randomAccess);
      let w = off + TS_HEADER_SIZE + afSize;
      let need = take;
      while (need > 0) {
        const n = Math.min(need, c.length - co);
        // short runs (a chunk's tail, ADTS headers) byte by byte; long ones 4 bytes at a time through DataViews,
        // as fast as subarray + set without a view object per packet (those were a third of ingest's garbage)
        if (n < 32) for (let k = 0; k < n; k++) out[w + k] = c[co + k]!;
        else copyRun((cv ??= new DataView(c.buffer, c.byteOffset, c.length)), co, this.out.view, w, n);
        w += n;
        need -= n;
        co += n;
        if (need > 0) {
          // the chunk ran out before the packet filled: on to the next one
          c = parts[++ci]!;
          cv = null;
          co = 0;
        }
      }
      left -= take;
    }
  }
}

/** Copies `n` bytes from `src` at `from` to `dst` at `at`: 32-bit words, then the last 0–3 bytes. */
function copyRun(src: DataView, from: number, dst: DataView, at: number, n: number): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) dst.setInt32(at + k, src.getInt32(from + k));
  for (; k < n; k++) dst.setUint8(at + k, src.getUint8(from + k));
}

function chunksLength(chunks: readonly Buffer[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}
