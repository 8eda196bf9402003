// Reads one whole FLV tag buffer (as node-media-server's sendBuffer hands it) into an FlvTag.
import { FlvParseError } from './errors';
import type { FlvTag } from './types';

const TAG_HEADER_SIZE = 11;
/** "FLV" signature + version + flags + 32-bit header size, then PreviousTagSize0 */
const FILE_HEADER_SIZE = 9;

/**
 * Parses a tag header and returns the tag with a view of its body (no copy).
 * Returns null for the FLV file header that starts every subscription.
 * Throws FlvParseError for truncated or malformed input.
 */
export function readFlvTag(buf: Buffer): FlvTag | null {
  if (buf[0] === 0x46 && buf[1] === 0x4c && buf[2] === 0x56) {
    // 'F' 'L' 'V' (false for a buffer too short to have them): no tag type is 0x46 (types are 8, 9, 18), so
    // this cannot be mistaken for a tag
    if (buf.length < FILE_HEADER_SIZE) throw new FlvParseError('truncated', `FLV header is ${buf.length} bytes`);
    return null;
  }
  if (buf.length < TAG_HEADER_SIZE) throw new FlvParseError('truncated', `FLV tag header is ${buf.length} bytes`);
  if (buf[0]! & 0x20) throw new FlvParseError('encrypted', 'encrypted (filtered) FLV tags are not supported');
  const type = buf[0]! & 0x1f;
  const size = buf.readUIntBE(1, 3);
  // the 8-bit extension holds bits 31..24: multiply, do not shift (a shift would go negative past 2^31)
  const timestamp = buf[7]! * 0x1000000 + buf.readUIntBE(4, 3);
  if (buf.length < TAG_HEADER_SIZE + size) {
    throw new FlvParseError('truncated', `FLV tag declares ${size} body bytes, buffer has ${buf.length - TAG_HEADER_SIZE}`);
  }
  return { type, timestamp, body: buf.subarray(TAG_HEADER_SIZE, TAG_HEADER_SIZE + size) };
}
