// RTMP publishers send metadata as `@setDataFrame "onMetaData" {…}`; in an FLV file the script tag must
// start with "onMetaData" or players (ffprobe, mpegts.js) take it for an unknown data stream. nginx-rtmp
// strips the prefix the same way.

const FLV_TAG_SCRIPT = 18;
const TAG_HEADER = 11;
/** AMF0 string marker 0x02, length 0x000d, "@setDataFrame" */
const SET_DATA_FRAME = Buffer.from([0x02, 0x00, 0x0d, ...Buffer.from('@setDataFrame', 'ascii')]);

/** The tag without the `@setDataFrame` prefix (a new buffer), or the same tag when there is none. */
export function stripSetDataFrame(tag: Buffer): Buffer {
  if (tag.length < TAG_HEADER + SET_DATA_FRAME.length + 4 || tag[0] !== FLV_TAG_SCRIPT) return tag;
  if (!tag.subarray(TAG_HEADER, TAG_HEADER + SET_DATA_FRAME.length).equals(SET_DATA_FRAME)) return tag;
  const bodySize = tag.readUIntBE(1, 3) - SET_DATA_FRAME.length;
  const out = Buffer.allocUnsafe(TAG_HEADER + bodySize + 4);
  tag.copy(out, 0, 0, TAG_HEADER);
  out.writeUIntBE(bodySize, 1, 3);
  tag.copy(out, TAG_HEADER, TAG_HEADER + SET_DATA_FRAME.length, TAG_HEADER + SET_DATA_FRAME.length + bodySize);
  out.writeUInt32BE(TAG_HEADER + bodySize, TAG_HEADER + bodySize); // PreviousTagSize
  return out;
}
