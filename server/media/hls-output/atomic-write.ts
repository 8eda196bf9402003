// Write-then-rename, so a player never reads a half-written file under its real name.
import { renameSync, writeFileSync } from 'node:fs';

/** a per-process counter keeps temp names apart: only this process writes in its HLS dirs */
let seq = 0;

export function tempName(file: string): string {
  return `${file}.${process.pid}.${(seq++).toString(36)}.tmp`;
}

export function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = tempName(file);
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
