// The file system calls of HLS recording, in one object: all asynchronous, so a slow disk never stalls the event
// loop (viewers, the API). Tests swap a member to make the disk slow or failing; the server uses it as is.
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';

export interface RecorderFs {
  mkdir(dir: string): Promise<unknown>;
  /** a new file to append a segment's blocks to */
  create(file: string): Promise<FileHandle>;
  /** writes every byte of `chunks`, in order */
  append(handle: FileHandle, chunks: readonly Buffer[]): Promise<unknown>;
  writeFile(file: string, data: Buffer | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(file: string): Promise<void>;
  /** a deleted room's folder, recursively */
  removeTree(dir: string): Promise<void>;
}

export const recorderFs: RecorderFs = {
  mkdir: (dir) => mkdir(dir, { recursive: true }),
  create: (file) => open(file, 'w'),
  append: writeAll,
  writeFile: (file, data) => writeFile(file, data),
  rename: (from, to) => rename(from, to),
  remove: (file) => rm(file, { force: true }),
  removeTree: (dir) => rm(dir, { recursive: true, force: true }),
};

/** writev until everything is written (regular files take it all at once, but the contract allows less) */
async function writeAll(handle: FileHandle, chunks: readonly Buffer[]): Promise<void> {
  let left = chunks;
  while (left.length > 0) {
    const { bytesWritten } = await handle.writev(left as Buffer[]);
    if (bytesWritten === 0) throw new Error('the file system took no bytes');
    left = skipWritten(left, bytesWritten);
  }
}

function skipWritten(chunks: readonly Buffer[], written: number): readonly Buffer[] {
  let i = 0;
  while (i < chunks.length && written >= chunks[i]!.length) written -= chunks[i++]!.length;
  if (i === chunks.length) return [];
  return [chunks[i]!.subarray(written), ...chunks.slice(i + 1)];
}
