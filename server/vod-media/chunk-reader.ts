// Sequential reads from a file handle in 1 MiB chunks, each into a fresh buffer: what read() returns is a view that
// stays valid (never refilled), or a copy when it spans two chunks.
import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1024 * 1024;

export class ChunkReader {
  private buf = Buffer.alloc(0);
  private eof = false;

  constructor(private readonly fh: FileHandle, private pos = 0) {}

  /** The next n bytes without consuming them; null when the file ends first. */
  async peek(n: number): Promise<Buffer | null> {
    while (this.buf.length < n && !this.eof) await this.fill(n - this.buf.length);
    return this.buf.length >= n ? this.buf.subarray(0, n) : null;
  }

  async read(n: number): Promise<Buffer | null> {
    const b = await this.peek(n);
    if (b) this.buf = this.buf.subarray(n);
    return b;
  }

  async skip(n: number): Promise<boolean> {
    return (await this.read(n)) !== null;
  }

  private async fill(atLeast: number): Promise<void> {
    const chunk = Buffer.allocUnsafe(Math.max(CHUNK, atLeast));
    const { bytesRead } = await this.fh.read(chunk, 0, chunk.length, this.pos);
    if (bytesRead === 0) {
      this.eof = true;
      return;
    }
    this.pos += bytesRead;
    const got = chunk.subarray(0, bytesRead);
    this.buf = this.buf.length === 0 ? got : Buffer.concat([this.buf, got]);
  }
}
