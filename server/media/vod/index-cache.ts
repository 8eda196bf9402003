// One index per library file version (path, size, mtime), built once however many players ask at the same time,
// and a bounded number kept: 50 viewers of one file share one walk of it, and its blocks as they read them.
import { stat } from 'node:fs/promises';
import { BlockCache } from './block-cache';
import { indexFlv } from './flv-index';
import { indexMp4 } from './mp4-index';
import type { VodIndex } from './types';

interface Entry { version: string; index: Promise<VodIndex> }

export class IndexCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 32, private readonly blocks = new BlockCache()) {}

  /** The file's index; rejects when it is missing (ENOENT) or not playable (VodInputError). */
  async get(path: string): Promise<VodIndex> {
    const st = await stat(path);
    const version = `${st.size}:${st.mtimeMs}`;
    const hit = this.entries.get(path);
    if (hit && hit.version === version) {
      // most recently used last
      this.entries.delete(path);
      this.entries.set(path, hit);
      return hit.index;
    }
    const index = (path.toLowerCase().endsWith('.mp4') ? indexMp4 : indexFlv)(path, this.blocks.file());
    const entry = { version, index };
    this.entries.delete(path);
    this.entries.set(path, entry);
    // a failed build is not kept (the file may be replaced by a good one with the same mtime granularity)
    index.catch(() => { if (this.entries.get(path) === entry) this.entries.delete(path); });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return index;
  }
}
