// An FLV library file's index: one walk over its tag headers (bounded 1 MiB reads) finds the sequence headers, the
// keyframes (time and file position, for seeking) and the duration. Playing then reads from a keyframe's position.
import { open, type FileHandle } from 'node:fs/promises';
import { FLV_TAG_AUDIO, FLV_TAG_HEADER_SIZE, FLV_TAG_SCRIPT, FLV_TAG_VIDEO, flvTagBodySize, flvTagTimestamp } from '../flv/tag-header';
import { ChunkReader } from '../../vod-media/chunk-reader';
import { VodInputError } from '../../vod-media/flv-file-tags';
import { avcSize, keyframeBefore } from './media-info';
import type { BlockReader, VodCursor, VodIndex, VodTag } from './types';

/** a tag body larger than this is not a frame but a corrupt length */
const MAX_TAG_BODY = 16 * 1024 * 1024;

interface Walk { reader: ChunkReader; close(): Promise<void> }

async function walkFrom(path: string): Promise<{ walk: Walk; dataStart: number }> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(9);
    const { bytesRead } = await fh.read(head, 0, 9, 0);
    if (bytesRead < 9 || head.toString('latin1', 0, 3) !== 'FLV') throw new VodInputError('not an FLV file');
    const dataStart = head.readUInt32BE(5) + 4; // + PreviousTagSize0
    return { walk: { reader: new ChunkReader(fh, dataStart), close: () => fh.close() }, dataStart };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** The next whole tag (header + body) and skips its PreviousTagSize; null at the end or at a truncated tag. */
async function nextTag(reader: ChunkReader): Promise<Buffer | null> {
  const head = await reader.peek(FLV_TAG_HEADER_SIZE);
  if (!head) return null;
  const size = flvTagBodySize(head);
  if (size > MAX_TAG_BODY) throw new VodInputError(`FLV tag of ${size} bytes`);
  const tag = await reader.read(FLV_TAG_HEADER_SIZE + size + 4);
  return tag ? tag.subarray(0, FLV_TAG_HEADER_SIZE + size) : (await reader.read(FLV_TAG_HEADER_SIZE + size));
}

/** `blocks`: how players read the file (shared blocks, see block-cache.ts) */
export async function indexFlv(path: string, blocks: BlockReader): Promise<VodIndex> {
  const { walk, dataStart } = await walkFrom(path);
  const keyTimes: number[] = [];
  const keyPos: number[] = [];
  let videoHeader: Buffer | null = null;
  let audioHeader: Buffer | null = null;
  let lastEnd = 0;
  let lastTs = 0;
  let lastVideo = -1;
  let videoStep = 0;
  let audioRate = 0;
  let pos = dataStart;
  try {
    for (let tag = await nextTag(walk.reader); tag; tag = await nextTag(walk.reader)) {
      const type = tag[0]! & 0x1f;
      const ts = flvTagTimestamp(tag);
      const body = tag.subarray(FLV_TAG_HEADER_SIZE);
      if (type !== FLV_TAG_SCRIPT) lastTs = Math.max(lastTs, ts);
      if (type === FLV_TAG_VIDEO && body.length >= 2 && (body[0]! & 0x0f) === 7) {
        if (body[1] === 0) videoHeader ??= Buffer.from(body);
        else {
          if ((body[0]! >> 4) === 1) {
            keyTimes.push(ts);
            keyPos.push(pos);
          }
          if (lastVideo >= 0 && ts > lastVideo) videoStep = ts - lastVideo;
          lastVideo = ts;
          lastEnd = Math.max(lastEnd, ts + videoStep);
        }
      } else if (type === FLV_TAG_AUDIO && body.length >= 2 && (body[0]! >> 4) === 10) {
        if (body[1] === 0) {
          audioHeader ??= Buffer.from(body);
          audioRate = aacRate(body);
        } else lastEnd = Math.max(lastEnd, ts + (audioRate > 0 ? Math.round(1024_000 / audioRate) : 0));
      } else if (type !== FLV_TAG_SCRIPT && type !== FLV_TAG_VIDEO && type !== FLV_TAG_AUDIO) {
        throw new VodInputError(`FLV tag type ${type}`);
      }
      pos += tag.length + 4;
    }
  } finally {
    await walk.close();
  }
  if (!videoHeader && !audioHeader) throw new VodInputError('no H.264 or AAC in this FLV file');
  const size = videoHeader ? avcSize(videoHeader.subarray(5)) : { width: 0, height: 0 };
  const audio = audioHeader ? aacLayout(audioHeader) : { rate: 0, channels: 0 };
  return {
    format: 'flv', durationMs: lastEnd, lastTs, videoHeader, audioHeader, width: size.width, height: size.height,
    audioSampleRate: audio.rate, audioChannels: audio.channels,
    keyframeAt: (ms) => keyTimes[keyframeBefore(keyTimes, ms)] ?? 0,
    open: async (ms) => {
      const i = keyframeBefore(keyTimes, ms);
      return new FlvCursor(await open(path, 'r'), blocks, keyPos[i] ?? dataStart);
    },
  };
}

class FlvCursor implements VodCursor {
  constructor(private readonly fh: FileHandle, private readonly read: BlockReader, private pos: number) {}

  async next(): Promise<VodTag | null> {
    for (;;) {
      const head = await this.read(this.fh, this.pos, FLV_TAG_HEADER_SIZE);
      if (head.length < FLV_TAG_HEADER_SIZE) return null;
      const size = flvTagBodySize(head);
      if (size > MAX_TAG_BODY) throw new VodInputError(`FLV tag of ${size} bytes`);
      const tag = await this.read(this.fh, this.pos, FLV_TAG_HEADER_SIZE + size);
      if (tag.length < FLV_TAG_HEADER_SIZE + size) return null; // truncated: the end
      this.pos += tag.length + 4; // + PreviousTagSize
      const type = tag[0]! & 0x1f;
      // our own onMetaData was sent; sequence headers were sent at the start
      if (type === FLV_TAG_SCRIPT || tag.length < FLV_TAG_HEADER_SIZE + 2 || tag[FLV_TAG_HEADER_SIZE + 1] === 0) continue;
      return { type: type as 8 | 9, ts: flvTagTimestamp(tag), head: null, body: tag.subarray(FLV_TAG_HEADER_SIZE) };
    }
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** AudioSpecificConfig in an FLV AAC sequence header body (2 bytes of FLV, then the config). */
function aacLayout(body: Buffer): { rate: number; channels: number } {
  if (body.length < 4) return { rate: 0, channels: 0 };
  const index = ((body[2]! & 0x07) << 1) | (body[3]! >> 7);
  return { rate: AAC_RATES[index] ?? 0, channels: (body[3]! >> 3) & 0x0f };
}

const aacRate = (body: Buffer): number => aacLayout(body).rate;
