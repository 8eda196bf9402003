// Reads an FLV file as whole tag buffers (11-byte header + body), the shape HlsPipeline.pushTag takes, without
// holding the file in memory: fixed-size reads into fresh buffers, so the views the pipeline keeps stay valid.
import { open } from 'node:fs/promises';
import { FLV_TAG_HEADER_SIZE, flvTagBodySize } from '../media/flv/tag-header';
import { ChunkReader } from './chunk-reader';

/** a tag body larger than this is not a frame but a corrupt length */
const MAX_TAG_BODY = 16 * 1024 * 1024;

export class VodInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VodInputError';
  }
}

/** Yields every tag of the file; throws VodInputError for a file that is not FLV. A truncated last tag ends the walk. */
export async function* flvFileTags(path: string): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    const reader = new ChunkReader(fh);
    const header = await reader.read(9);
    if (!header || header.toString('latin1', 0, 3) !== 'FLV') throw new VodInputError('not an FLV file');
    const dataOffset = header.readUInt32BE(5);
    if (dataOffset < 9 || !(await reader.skip(dataOffset - 9 + 4))) return; // + PreviousTagSize0
    for (;;) {
      const head = await reader.peek(FLV_TAG_HEADER_SIZE);
      if (!head) return;
      const size = flvTagBodySize(head);
      if (size > MAX_TAG_BODY) throw new VodInputError(`FLV tag of ${size} bytes`);
      const tag = await reader.read(FLV_TAG_HEADER_SIZE + size);
      if (!tag) return;
      yield tag;
      if (!(await reader.skip(4))) return; // PreviousTagSize
    }
  } finally {
    await fh.close();
  }
}
