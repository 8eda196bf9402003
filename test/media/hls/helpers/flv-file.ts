// Splits an FLV file into the buffers node-media-server hands a subscriber: the 13-byte file header
// (with PreviousTagSize0), then each tag with its 4-byte previous-tag-size trailer.
export function splitFlv(file: Buffer): Buffer[] {
  if (file.toString('latin1', 0, 3) !== 'FLV') throw new Error('not an FLV file');
  const headerSize = file.readUInt32BE(5);
  const out: Buffer[] = [file.subarray(0, headerSize + 4)];
  let off = headerSize + 4;
  while (off + 11 <= file.length) {
    const size = file.readUIntBE(off + 1, 3);
    const end = off + 11 + size + 4;
    if (end > file.length) break; // ffmpeg may leave a partial tail only when killed; ignore it
    out.push(file.subarray(off, end));
    off = end;
  }
  return out;
}
