// File blocks shared by every VOD player: 50 viewers of one file read each 1 MiB block from disk once, into one
// buffer, and send views of it; before, each player read (and the GC swept) its own copy of the whole file.
// Bounded by bytes, least recently used out first; a block still being sent stays alive through its views only.
import type { FileHandle } from 'node:fs/promises';

export const BLOCK_SIZE = 1024 * 1024;

export class BlockCache {
  private readonly blocks = new Map<string, Buffer>();
  private readonly reading = new Map<string, Promise<Buffer>>();
  private bytes = 0;
  private nextFile = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024, private readonly blockSize = BLOCK_SIZE) {}

  /** A reader of one file version: `fh` is the caller's handle (it keeps the file it opened, even if replaced). */
  file(): (fh: FileHandle, offset: number, size: number) => Promise<Buffer> {
    const id = this.nextFile++;
    return (fh, offset, size) => this.read(id, fh, offset, size);
  }

  /** `size` bytes at `offset`, fewer at the end of the file: a view when they lie in one block, else a copy. */
  private async read(id: number, fh: FileHandle, offset: number, size: number): Promise<Buffer> {
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((offset + Math.max(size, 1) - 1) / this.blockSize);
    if (first === last) {
      const block = await this.block(id, fh, first);
      const start = offset - first * this.blockSize;
      return block.subarray(start, start + size);
    }
    const parts: Buffer[] = [];
    for (let b = first; b <= last; b++) {
      const block = await this.block(id, fh, b);
      const base = b * this.blockSize;
      parts.push(block.subarray(Math.max(0, offset - base), Math.min(block.length, offset + size - base)));
      if (block.length < this.blockSize) break; // the end of the file
    }
    return Buffer.concat(parts);
  }

  private block(id: number, fh: FileHandle, index: number): Promise<Buffer> {
    const key = `${id}:${index}`;
    const hit = this.blocks.get(key);
    if (hit) {
      this.blocks.delete(key); // most recently used last
      this.blocks.set(key, hit);
      return Promise.resolve(hit);
    }
    const pending = this.reading.get(key);
    if (pending) return pending;
    const read = this.load(fh, index).then((block) => {
      this.keep(key, block);
      return block;
    }).finally(() => this.reading.delete(key));
    this.reading.set(key, read);
    return read;
  }

  private async load(fh: FileHandle, index: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafeSlow(this.blockSize);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, index * this.blockSize + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  }

  private keep(key: string, block: Buffer): void {
    this.blocks.set(key, block);
    this.bytes += block.length;
    while (this.bytes > this.maxBytes && this.blocks.size > 1) {
      const [oldKey, old] = this.blocks.entries().next().value as [string, Buffer];
      this.blocks.delete(oldKey);
      this.bytes -= old.length;
    }
  }

  /** bytes held (for tests) */
  get size(): number {
    return this.bytes;
  }
}
