// TsMuxer: media samples in, whole 188-byte MPEG-TS packets out. Keeps continuity counters across
// segments and may gather a few AAC frames per PES (as nginx-rtmp does) to cut packet overhead.
// Packets are written straight into pooled blocks (ts-blocks.ts); takeFull() and takeOutput() hand them over.
import { TsBlocks, type TsOutput } from './ts-blocks';
import {
  PID_AUDIO, PID_PAT, PID_PMT, PID_VIDEO, PTS_DELAY_TICKS, STREAM_ID_AUDIO, STREAM_ID_VIDEO, TS_HEADER_SIZE, TS_PACKET_SIZE,
  TS_PAYLOAD_SIZE, adaptationFieldSize, pat, pesHeader, pmt, writeAdaptationField, writePsiPacket, writeTsHeader,
} from './ts-packets';
import { ownedSample, type AudioSample, type MediaSample, type TrackSet } from './types';

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

  /** The hub will reuse the buffers gathered audio frames point into (TagTap.onGopEnd): they get copies of their own. */
  detach(): void {
    this.pendingAudio = this.pendingAudio.map(ownedSample);
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

  /**
   * One PES split into packets, written in place into the output blocks. For each run of packets that fits in
   * the current block, the payload is first copied in one piece to the run's end (one native copy per part),
   * then each packet's share is moved down to its place (copyWithin: no view object per packet) and its header
   * written in front of it. A packet's share never starts before its header ends, so nothing unread is
   * overwritten: every packet ahead still has its 4+ header bytes of slack.
   */
  private pes(
    pid: number, streamId: number, pts: number, dts: number | null, parts: readonly Buffer[], payloadLength: number,
    pcr: number | null, randomAccess: boolean,
  ): void {
    const header = pesHeader(streamId, pts + PTS_DELAY_TICKS, dts === null ? null : dts + PTS_DELAY_TICKS, payloadLength);
    const firstAf = adaptationFieldSize(pcr !== null, randomAccess);
    let cc = this.cc.get(pid) ?? 0;
    let ci = -1; // -1: the PES header, then parts[0..]
    let c = header;
    let co = 0;
    let left = header.length + payloadLength;
    let first = true;
    while (left > 0) {
      const n = this.out.reserveRun(packetsFor(left, first ? firstAf : 0));
      const off = this.out.runStart;
      const out = this.out.block;
      const runBytes = Math.min(left, n * TS_PAYLOAD_SIZE - (first ? firstAf : 0));
      // stage the run's payload at its end
      let w = off + n * TS_PACKET_SIZE - runBytes;
      let s = w;
      for (let need = runBytes; need > 0;) {
        while (co === c.length) {
          c = parts[++ci]!;
          co = 0;
        }
        const k = Math.min(need, c.length - co);
        out.set(co === 0 && k === c.length ? c : c.subarray(co, co + k), w);
        w += k;
        co += k;
        need -= k;
      }
      // then spread it out, packet by packet
      for (let j = 0; j < n; j++, first = false) {
        const pkt = off + j * TS_PACKET_SIZE;
        const flagsSize = first ? firstAf : 0;
        const room = TS_PAYLOAD_SIZE - flagsSize;
        const take = Math.min(room, left);
        const afSize = flagsSize + (room - take); // the last packet's slack becomes adaptation stuffing
        const at = pkt + TS_HEADER_SIZE + afSize;
        if (at !== s) out.copyWithin(at, s, s + take);
        s += take;
        writeTsHeader(out, pkt, pid, first, afSize > 0, cc);
        cc = (cc + 1) & 0x0f;
        if (afSize > 0) writeAdaptationField(out, pkt + TS_HEADER_SIZE, afSize, first ? pcr : null, first && randomAccess);
        left -= take;
      }
    }
    this.cc.set(pid, cc);
  }
}

/** Packets a PES of `bytes` (header included) takes when its first packet also carries `firstAf` adaptation bytes. */
function packetsFor(bytes: number, firstAf: number): number {
  const firstRoom = TS_PAYLOAD_SIZE - firstAf;
  return bytes <= firstRoom ? 1 : 1 + Math.ceil((bytes - firstRoom) / TS_PAYLOAD_SIZE);
}

function chunksLength(chunks: readonly Buffer[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}
