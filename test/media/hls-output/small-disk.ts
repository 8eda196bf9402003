// A small real disk for tests: a tmpfs of a few MB mounted on a folder (root only), and a filler file that
// takes all but a chosen number of its free bytes, so a write really fails with ENOSPC.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Mounts a tmpfs of `sizeMb` on `dir` (which must exist); false when this process may not mount. */
export function mountSmallDisk(dir: string, sizeMb: number): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false; // e.g. a container without CAP_SYS_ADMIN
  }
}

export function unmountSmallDisk(dir: string): void {
  execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
}

export const freeBytes = (dir: string): number => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

/** Fills `dir`'s file system until only about `leaveBytes` are free; returns the filler's path (rm it to free the space). */
export function fillDisk(dir: string, leaveBytes: number): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    while (freeBytes(dir) > leaveBytes + block.length) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return file;
}

export const emptyDisk = (filler: string): void => rmSync(filler, { force: true });
