// The segment being muxed, written as its blocks fill up (like nginx-rtmp writes fragments) under a temp
// name, and renamed to `<n>.ts` only when it is complete: players never see a partial segment.
import { closeSync, openSync, renameSync, rmSync, writevSync } from 'node:fs';
import { tempName } from './atomic-write';

export class SegmentFile {
  private fd: number | null = null;
  private readonly tmp: string;
  /** the first write error: the segment is lost, finish() reports it */
  private failed: unknown = null;
  /** bytes appended so far */
  bytes = 0;

  constructor(readonly index: number, private readonly file: string) {
    this.tmp = tempName(file);
  }

  /** Appends bytes now (they are reused right after). Never throws: a failure surfaces in finish(). */
  append(chunks: readonly Buffer[]): void {
    if (this.failed) return;
    try {
      this.fd ??= openSync(this.tmp, 'w');
      writeAll(this.fd, chunks);
      for (const c of chunks) this.bytes += c.length;
    } catch (err) {
      this.failed = err;
    }
  }

  /** Appends the last bytes and puts the file in place; throws what went wrong on the way (file removed). */
  finish(chunks: readonly Buffer[]): void {
    this.append(chunks);
    this.close();
    if (this.failed) {
      rmSync(this.tmp, { force: true });
      throw this.failed;
    }
    renameSync(this.tmp, this.file);
  }

  /** The write error that lost this segment, if any (e.g. ENOSPC). */
  get error(): unknown {
    return this.failed;
  }

  /** Gives up on the segment (the broadcast is being dropped). */
  discard(): void {
    this.close();
    rmSync(this.tmp, { force: true });
  }

  private close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch (err) {
      this.failed ??= err;
    }
    this.fd = null;
  }
}

/** writev until everything is written (regular files write it all at once, but the contract allows less) */
function writeAll(fd: number, chunks: readonly Buffer[]): void {
  let left = chunks;
  while (left.length > 0) left = skipWritten(left, writevSync(fd, left as Buffer[]));
}

function skipWritten(chunks: readonly Buffer[], written: number): readonly Buffer[] {
  let i = 0;
  while (i < chunks.length && written >= chunks[i]!.length) written -= chunks[i++]!.length;
  if (i === chunks.length) return [];
  return [chunks[i]!.subarray(written), ...chunks.slice(i + 1)];
}
