// Probes an FLV file with wxlive's own FLV demuxer: every tag header is walked (truncation = a tag that runs past
// the end), sequence headers go through FlvDemuxer for codecs, resolution and sample rate; the duration is the
// span of the media tags' timestamps plus one frame. Tag bodies other than sequence headers are skipped unread.
import { open } from 'node:fs/promises';
import { FLV_TAG_AUDIO, FLV_TAG_HEADER_SIZE, FLV_TAG_VIDEO, flvTagBodySize, flvTagTimestamp, isFlvFileHeader } from '../media/flv/tag-header';
import { FlvDemuxer } from '../media/hls/flv-demuxer';
import { readFlvTag } from '../media/hls/flv-tag';
import { ChunkReader } from '../vod-media/chunk-reader';
import { ProbeError } from './probe-error';
import { roundSeconds, type ProbeResult } from './probe-result';

/** a larger declared body is a corrupt length, not a frame */
const MAX_TAG_BODY = 16 * 1024 * 1024;
/** sequence headers are tiny; a tag we read whole to look at is at most this big */
const PEEK_BODY = 64 * 1024;

interface Span { first: number; last: number; frames: number }

const frameMs = (s: Span | null): number => (s && s.frames > 1 ? (s.last - s.first) / (s.frames - 1) : 0);

export async function probeFlv(path: string): Promise<ProbeResult> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const reader = new ChunkReader(fh);
    const header = await reader.read(9);
    if (!header || !isFlvFileHeader(header)) throw new ProbeError('invalid', 'not an FLV file');
    const dataOffset = header.readUInt32BE(5);
    if (dataOffset < 9 || !(await reader.skip(dataOffset - 9 + 4))) throw new ProbeError('invalid', 'FLV header is truncated');
    const demuxer = new FlvDemuxer();
    const spans: Record<number, Span | null> = { [FLV_TAG_VIDEO]: null, [FLV_TAG_AUDIO]: null };
    let pos = dataOffset + 4;
    while (pos < size) {
      const head = await reader.peek(FLV_TAG_HEADER_SIZE);
      if (!head) throw new ProbeError('invalid', `FLV file is truncated at byte ${pos}`);
      const type = head[0]! & 0x1f;
      const body = flvTagBodySize(head);
      if (body > MAX_TAG_BODY) throw new ProbeError('invalid', `FLV tag of ${body} bytes at byte ${pos}: not an FLV file`);
      const total = FLV_TAG_HEADER_SIZE + body + 4; // + PreviousTagSize
      if (pos + total > size) throw new ProbeError('invalid', `FLV file is truncated: the tag at byte ${pos} runs past the end`);
      const media = type === FLV_TAG_VIDEO || type === FLV_TAG_AUDIO;
      if (media && body > 0) {
        const ts = flvTagTimestamp(head);
        const s = spans[type];
        spans[type] = s ? { first: s.first, last: Math.max(s.last, ts), frames: s.frames + 1 } : { first: ts, last: ts, frames: 1 };
        if (body <= PEEK_BODY) {
          const whole = await reader.peek(FLV_TAG_HEADER_SIZE + body);
          try {
            demuxer.push(readFlvTag(whole!)!);
          } catch (err) {
            throw new ProbeError('invalid', `FLV tag at byte ${pos} is malformed: ${(err as Error).message}`);
          }
        }
      }
      if (!(await reader.skip(total))) throw new ProbeError('invalid', 'FLV file is truncated');
      pos += total;
    }
    const info = demuxer.info;
    if (info.unsupported.length > 0) throw new ProbeError('unsupported', `${info.unsupported.join('; ')} (H.264 and AAC only)`);
    if (!info.video && !info.audio) throw new ProbeError('invalid', 'FLV file has no H.264 or AAC track');
    const v = spans[FLV_TAG_VIDEO];
    const a = spans[FLV_TAG_AUDIO];
    const starts = [v, a].filter((s): s is Span => s !== null);
    const first = Math.min(...starts.map((s) => s.first));
    const endMs = Math.max(...starts.map((s) => s.last + frameMs(s)));
    return {
      format: 'flv',
      durationS: roundSeconds(Math.max(0, endMs - first) / 1000),
      sizeBytes: size,
      video: info.video ? { codec: 'h264', width: info.video.width ?? 0, height: info.video.height ?? 0 } : null,
      audio: info.audio ? { codec: 'aac', sampleRate: info.audio.sampleRate, channels: info.audio.channels } : null,
    };
  } finally {
    await fh.close();
  }
}
