// Uploaded room covers on disk: DATA_DIR/covers/<roomId>.<version>.<ext>. A version is the content's hash, so
// a file never changes once written (written to a temp file, then renamed into place).
import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const COVER_VERSION_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const EXTENSIONS = { jpg: 'image/jpeg', png: 'image/png' } as const;
export type CoverExtension = keyof typeof EXTENSIONS;

export interface CoverFile { stream: ReadStream; size: number; type: string }

export class CoverFiles {
  constructor(readonly dir: string) {}

  async save(roomId: string, version: string, ext: CoverExtension, bytes: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.${roomId}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, bytes, { mode: 0o644 });
      await rename(temp, join(this.dir, `${roomId}.${version}.${ext}`));
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  }

  /** The stored cover of that version, or null. Callers pass a checked room id and version (no path parts). */
  async open(roomId: string, version: string): Promise<CoverFile | null> {
    for (const ext of Object.keys(EXTENSIONS) as CoverExtension[]) {
      const path = join(this.dir, `${roomId}.${version}.${ext}`);
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) return { stream: createReadStream(path), size: info.size, type: EXTENSIONS[ext] };
    }
    return null;
  }

  /** Deletes the room's covers, except the version `keep`. */
  async remove(roomId: string, keep?: string): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const prefix = `${roomId}.`;
    await Promise.all(names
      .filter((n) => n.startsWith(prefix) && n.split('.')[1] !== keep)
      .map((n) => unlink(join(this.dir, n)).catch(() => undefined)));
  }
}
