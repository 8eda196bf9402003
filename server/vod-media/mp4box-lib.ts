// GPAC's mp4box.js, typed. Its package.json maps types only through `exports` conditions, which this project's
// `moduleResolution: node` does not read, so the types are imported by path and the module is required by name.
import type { FileHandle } from 'node:fs/promises';
import type * as Mp4box from 'mp4box/dist/mp4box.all.cjs';

let loaded: typeof Mp4box | undefined;
/** mp4box.js, required on first use: most servers never touch an MP4, and loading it costs ~4 MB of RSS. */
export function mp4box(): typeof Mp4box {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return loaded ??= require('mp4box') as typeof Mp4box;
}
export type { Mp4box };

const MOVIE_READ = 1024 * 1024;

/**
 * Feeds mp4box the file in 1 MiB reads, following the positions it asks for, until the moov is parsed (moov at
 * either end: only boxes are read, never the whole file). Null when no moov turns up. `invalid` wraps what mp4box
 * throws on bytes it cannot parse (left out, that error is thrown as it is).
 */
export async function readMovie(fh: FileHandle, size: number, invalid?: (err: Error) => Error): Promise<{ file: Mp4box.ISOFile; info: Mp4box.Movie } | null> {
  const file = mp4box().createFile(false);
  let info: Mp4box.Movie | null = null;
  file.onReady = (movie: Mp4box.Movie) => { info = movie; };
  file.onError = () => undefined;
  let pos = 0;
  while (!info && pos < size) {
    const chunk = Buffer.alloc(Math.min(MOVIE_READ, size - pos));
    const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
    if (bytesRead === 0) break;
    const ab = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + bytesRead) as Mp4box.MP4BoxBuffer;
    ab.fileStart = pos;
    let next: unknown;
    try {
      next = file.appendBuffer(ab, pos + bytesRead >= size);
    } catch (err) {
      throw invalid ? invalid(err as Error) : err;
    }
    pos = typeof next === 'number' && next > pos ? next : pos + bytesRead;
  }
  return info ? { file, info } : null;
}
