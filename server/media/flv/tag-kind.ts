// What a whole FLV tag (as the hub hands it) is, from its first bytes: enough to keep a join burst.
import { FLV_TAG_AUDIO as TAG_AUDIO, FLV_TAG_HEADER_SIZE as BODY, FLV_TAG_SCRIPT as TAG_SCRIPT, FLV_TAG_VIDEO as TAG_VIDEO, isFlvFileHeader } from './tag-header';

export type TagKind = 'header' | 'meta' | 'audio-config' | 'video-config' | 'keyframe' | 'frame';

const SOUND_AAC = 10;
const FRAME_KEY = 1;
const PACKET_CONFIG = 0; // AACPacketType / AVCPacketType 0: the decoder configuration

export function classifyTag(tag: Buffer): TagKind {
  if (isFlvFileHeader(tag)) return 'header';
  if (tag[0] === TAG_SCRIPT) return 'meta';
  if (tag.length < BODY + 2) return 'frame';
  const b0 = tag[BODY]!;
  const b1 = tag[BODY + 1]!;
  if (tag[0] === TAG_AUDIO) return b0 >> 4 === SOUND_AAC && b1 === PACKET_CONFIG ? 'audio-config' : 'frame';
  if (tag[0] === TAG_VIDEO) {
    const enhanced = (b0 & 0x80) !== 0; // enhanced RTMP (HEVC/AV1 FourCC): packet type in the low bits
    const config = enhanced ? (b0 & 0x0f) === 0 : b1 === PACKET_CONFIG;
    if (config) return 'video-config';
    return ((b0 >> 4) & 0x07) === FRAME_KEY ? 'keyframe' : 'frame';
  }
  return 'frame';
}
