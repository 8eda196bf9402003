// A file opened to be sent as a MediaBody: stat once, stream any byte range from the same handle (which closes when
// the stream does), or close unsent (HEAD, 304, 416). Validators like nginx's: size and modification time.
import { open } from 'node:fs/promises';
import type { MediaBody } from '../media/embedded/media-http';

/** like nginx: size and modification time, enough for files that are written once */
export const fileEtag = (size: number, mtimeMs: number): string => `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
export const httpDate = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toUTCString();

/** The file as a MediaBody of `type`; null when it is not there (or not a regular file). */
export async function fileBody(path: string, type: string, cache: string): Promise<MediaBody | null> {
  const h = await open(path, 'r').catch(() => null);
  if (!h) return null;
  const stat = await h.stat();
  if (!stat.isFile()) {
    await h.close();
    return null;
  }
  return {
    type, cache, size: stat.size, etag: fileEtag(stat.size, stat.mtimeMs), lastModified: httpDate(stat.mtimeMs),
    file: {
      stream: (start, end) => h.createReadStream(stat.size > 0 ? { start, end } : {}),
      close: () => void h.close().catch(() => undefined),
    },
  };
}
