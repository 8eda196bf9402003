// The one reader of a whole FLV tag's 11-byte header (type, body size, timestamp), shared by the probe, the
// publish pace, the fan-out's classifier and the HLS demuxer's tag reader. Plain byte arithmetic: this runs
// for every tag of every publisher, several times, and Buffer#readUIntBE is a generic slow path.
export const FLV_TAG_AUDIO = 8;
export const FLV_TAG_VIDEO = 9;
export const FLV_TAG_SCRIPT = 18;
/** type(1) size(3) timestamp(3) timestamp extension(1) stream id(3): the body starts here */
export const FLV_TAG_HEADER_SIZE = 11;

/** The declared body size (24 bits). The caller checks the tag has a header (length >= 11). */
export function flvTagBodySize(tag: Buffer): number {
  return (tag[1]! << 16) | (tag[2]! << 8) | tag[3]!;
}

/** Milliseconds, 32 bits: the 8-bit extension holds bits 31..24 (multiplied: a shift would go negative past 2^31). */
export function flvTagTimestamp(tag: Buffer): number {
  return tag[7]! * 0x1000000 + ((tag[4]! << 16) | (tag[5]! << 8) | tag[6]!);
}

/** "FLV": the file header a subscription starts with (no tag type is 0x46, so it cannot be mistaken for a tag). */
export function isFlvFileHeader(buf: Buffer): boolean {
  return buf[0] === 0x46 && buf[1] === 0x4c && buf[2] === 0x56;
}
