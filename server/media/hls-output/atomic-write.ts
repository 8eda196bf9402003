// Write-then-rename, so a player never reads a half-written file under its real name.
import { recorderFs, type RecorderFs } from './recorder-fs';

/** a per-process counter keeps temp names apart: only this process writes in its HLS dirs */
let seq = 0;

export function tempName(file: string): string {
  return `${file}.${process.pid}.${(seq++).toString(36)}.tmp`;
}

export async function writeFileAtomic(file: string, data: string | Buffer, fs: RecorderFs = recorderFs): Promise<void> {
  const tmp = tempName(file);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.remove(tmp).catch(() => undefined);
    throw err;
  }
}
