// The file system calls of HLS recording, in one object: all asynchronous, so a slow disk never stalls the event
// loop (viewers, the API). Tests swap a member to make the disk slow or failing; the server uses it as is.
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';

export interface RecorderFs {
  mkdir(dir: string): Promise<unknown>;
  /** a new file to append a segment's blocks to */
  create(file: string): Promise<FileHandle>;
  /** writes every byte (a FileHandle's write loops over short writes itself) */
  append(handle: FileHandle, bytes: Buffer): Promise<unknown>;
  writeFile(file: string, data: Buffer | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(file: string): Promise<void>;
  /** a deleted room's folder, recursively */
  removeTree(dir: string): Promise<void>;
}

export const recorderFs: RecorderFs = {
  mkdir: (dir) => mkdir(dir, { recursive: true }),
  create: (file) => open(file, 'w'),
  append: (handle, bytes) => handle.write(bytes),
  writeFile: (file, data) => writeFile(file, data),
  rename: (from, to) => rename(from, to),
  remove: (file) => rm(file, { force: true }),
  removeTree: (dir) => rm(dir, { recursive: true, force: true }),
};
