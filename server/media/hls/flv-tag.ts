// Reads one whole FLV tag buffer (as node-media-server's sendBuffer hands it) into an FlvTag.
import { FLV_TAG_HEADER_SIZE as TAG_HEADER_SIZE, flvTagBodySize, flvTagTimestamp, isFlvFileHeader } from '../flv/tag-header';
import { FlvParseError } from './errors';
import type { FlvTag } from './types';

/** "FLV" signature + version + flags + 32-bit header size, then PreviousTagSize0 */
const FILE_HEADER_SIZE = 9;

/**
 * Parses a tag header and returns the tag with a view of its body (no copy).
 * Returns null for the FLV file header that starts every subscription.
 * Throws FlvParseError for truncated or malformed input.
 */
export function readFlvTag(buf: Buffer): FlvTag | null {
  if (isFlvFileHeader(buf)) {
    // false for a buffer too short to have the signature
    if (buf.length < FILE_HEADER_SIZE) throw new FlvParseError('truncated', `FLV header is ${buf.length} bytes`);
    return null;
  }
  if (buf.length < TAG_HEADER_SIZE) throw new FlvParseError('truncated', `FLV tag header is ${buf.length} bytes`);
  if (buf[0]! & 0x20) throw new FlvParseError('encrypted', 'encrypted (filtered) FLV tags are not supported');
  const type = buf[0]! & 0x1f;
  const size = flvTagBodySize(buf);
  const timestamp = flvTagTimestamp(buf);
  if (buf.length < TAG_HEADER_SIZE + size) {
    throw new FlvParseError('truncated', `FLV tag declares ${size} body bytes, buffer has ${buf.length - TAG_HEADER_SIZE}`);
  }
  return { type, timestamp, body: buf.subarray(TAG_HEADER_SIZE, TAG_HEADER_SIZE + size) };
}
