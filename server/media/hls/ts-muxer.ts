// TsMuxer: media samples in, whole 188-byte MPEG-TS packets out. Keeps continuity counters across
// segments and may gather a few AAC frames per PES (as nginx-rtmp does) to cut packet overhead.
import {
  PID_AUDIO, PID_PAT, PID_PMT, PID_VIDEO, PTS_DELAY_TICKS, STREAM_ID_AUDIO, STREAM_ID_VIDEO, TS_HEADER_SIZE,
  TS_PACKET_SIZE, TS_PAYLOAD_SIZE, adaptationFieldSize, pat, pesHeader, pmt, psiPacket, writeAdaptationField,
  writeTsHeader,
} from './ts-packets';
import type { AudioSample, MediaSample, TrackSet } from './types';

export interface TsMuxerOptions {
  /** next to video, gather AAC frames into one PES until it spans this many 90 kHz ticks (0 = one frame per PES) */
  audioPesMaxTicks?: number;
}

const EMPTY = Buffer.alloc(0);
/** keep an audio PES well inside the 16-bit PES_packet_length */
const AUDIO_PES_MAX_BYTES = 0xffff - 64;
const DEFAULT_AUDIO_PES_TICKS = 9000; // 100 ms apart: ~5 AAC frames per PES, still frequent for low-latency players

export class TsMuxer {
  private readonly cc = new Map<number, number>();
  private tracks: TrackSet = { video: true, audio: true };
  private readonly audioPesMaxTicks: number;
  private pendingAudio: AudioSample[] = [];
  private pendingAudioBytes = 0;

  constructor(opts: TsMuxerOptions = {}) {
    this.audioPesMaxTicks = opts.audioPesMaxTicks ?? DEFAULT_AUDIO_PES_TICKS;
  }

  /** Declares the elementary streams for the next segmentStart() (PMT content, PCR PID). */
  setTracks(tracks: TrackSet): void {
    this.tracks = { ...tracks };
  }

  /** PAT + PMT: what every segment must begin with so a player can start at it. */
  segmentStart(): Buffer {
    return Buffer.concat([
      psiPacket(PID_PAT, pat(), this.nextCc(PID_PAT)),
      psiPacket(PID_PMT, pmt(this.tracks.video, this.tracks.audio), this.nextCc(PID_PMT)),
    ]);
  }

  /** Packets for one sample; an empty buffer while audio frames are being gathered. */
  muxSample(sample: MediaSample): Buffer {
    if (sample.kind === 'video') {
      // PCR on every video PES keeps the PCR interval at one frame (MPEG requires <= 100 ms)
      return this.pes(PID_VIDEO, STREAM_ID_VIDEO, sample.pts, sample.dts, [sample.data], sample.data.length,
        this.tracks.video ? sample.dts : null, sample.key);
    }
    if (this.pendingAudio.length > 0 && this.pendingAudioBytes + sample.data.length > AUDIO_PES_MAX_BYTES) {
      const out = this.flush();
      this.addAudio(sample);
      return Buffer.concat([out, this.maybeFlushAudio()]);
    }
    this.addAudio(sample);
    return this.maybeFlushAudio();
  }

  /** Gathered audio frames as one PES (call before cutting a segment or at stream end). */
  flush(): Buffer {
    const frames = this.pendingAudio;
    if (frames.length === 0) return EMPTY;
    const first = frames[0]!;
    const parts = frames.map((f) => f.data);
    const bytes = this.pendingAudioBytes;
    this.pendingAudio = [];
    this.pendingAudioBytes = 0;
    const audioOnly = !this.tracks.video;
    // audio-only: PCR rides on audio, and every AAC frame is a random access point
    return this.pes(PID_AUDIO, STREAM_ID_AUDIO, first.pts, null, parts, bytes, audioOnly ? first.dts : null, audioOnly);
  }

  private addAudio(sample: AudioSample): void {
    this.pendingAudio.push(sample);
    this.pendingAudioBytes += sample.data.length;
  }

  private maybeFlushAudio(): Buffer {
    // audio-only: one frame per PES. Then the audio PES timestamps are the stream's only clock (PCR
    // included) and a segment's measured length ends at its last frame, not at its last gathered PES.
    if (!this.tracks.video) return this.flush();
    const first = this.pendingAudio[0]!;
    const last = this.pendingAudio[this.pendingAudio.length - 1]!;
    return last.dts - first.dts >= this.audioPesMaxTicks ? this.flush() : EMPTY;
  }

  private nextCc(pid: number): number {
    const cc = this.cc.get(pid) ?? 0;
    this.cc.set(pid, (cc + 1) & 0x0f);
    return cc;
  }

  /** One PES split into packets, written into a single buffer sized up front. */
  private pes(
    pid: number, streamId: number, pts: number, dts: number | null, parts: Buffer[], payloadLength: number,
    pcr: number | null, randomAccess: boolean,
  ): Buffer {
    const header = pesHeader(streamId, pts + PTS_DELAY_TICKS, dts === null ? null : dts + PTS_DELAY_TICKS, payloadLength);
    const total = header.length + payloadLength;
    const firstAf = adaptationFieldSize(pcr !== null, randomAccess);
    const firstCap = TS_PAYLOAD_SIZE - firstAf;
    const count = total <= firstCap ? 1 : 1 + Math.ceil((total - firstCap) / TS_PAYLOAD_SIZE);
    const out = Buffer.allocUnsafe(count * TS_PACKET_SIZE);
    const chunks = [header, ...parts];
    let ci = 0;
    let co = 0;
    let left = total;
    for (let i = 0, off = 0; i < count; i++, off += TS_PACKET_SIZE) {
      const flagsSize = i === 0 ? firstAf : 0;
      const room = TS_PAYLOAD_SIZE - flagsSize;
      const take = Math.min(room, left);
      const afSize = flagsSize + (room - take); // the last packet's slack becomes adaptation stuffing
      writeTsHeader(out, off, pid, i === 0, afSize > 0, this.nextCc(pid));
      if (afSize > 0) writeAdaptationField(out, off + TS_HEADER_SIZE, afSize, i === 0 ? pcr : null, i === 0 && randomAccess);
      let w = off + TS_HEADER_SIZE + afSize;
      let need = take;
      while (need > 0) {
        const c = chunks[ci]!;
        const n = Math.min(need, c.length - co);
        c.copy(out, w, co, co + n);
        w += n;
        need -= n;
        co += n;
        if (co === c.length) {
          ci++;
          co = 0;
        }
      }
      left -= take;
    }
    return out;
  }
}
