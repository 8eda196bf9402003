// Reads byte ranges of a file that are mostly in ascending order (an MP4's interleaved samples) through a 1 MiB
// window, one fresh buffer per window so views handed out earlier stay valid.
import type { FileHandle } from 'node:fs/promises';

const WINDOW = 1024 * 1024;

export class RangeReader {
  private start = 0;
  private buf = Buffer.alloc(0);

  constructor(private readonly fh: FileHandle) {}

  /** `size` bytes at `offset`; throws when the file is shorter (a truncated upload). */
  async read(offset: number, size: number): Promise<Buffer> {
    if (offset < this.start || offset + size > this.start + this.buf.length) {
      const chunk = Buffer.allocUnsafe(Math.max(WINDOW, size));
      const { bytesRead } = await this.fh.read(chunk, 0, chunk.length, offset);
      this.start = offset;
      this.buf = chunk.subarray(0, bytesRead);
      if (bytesRead < size) throw new RangeError(`file ends before byte ${offset + size}`);
    }
    return this.buf.subarray(offset - this.start, offset - this.start + size);
  }
}
