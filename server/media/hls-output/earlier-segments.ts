// What an earlier run left in a broadcast folder: so a broadcast resumed after a restart continues
// its segment numbering and keeps its replay whole.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { WindowSegment } from '../hls';
import { VOD_PLAYLIST, segmentIndex } from './hls-paths';

export interface EarlierSegments {
  /** what the VOD playlist lists, in order */
  segments: WindowSegment[];
  /** past every `<n>.ts` on disk, listed or not: a segment renamed just before a kill -9 is never overwritten */
  nextIndex: number;
}

/** The folder's listing and VOD playlist text (null when absent) → what a resumed recorder continues from. */
export function earlierFrom(files: readonly string[], playlist: string | null): EarlierSegments {
  const indexes = files.map(segmentIndex).filter((i): i is number => i !== null);
  const nextIndex = indexes.length ? Math.max(...indexes) + 1 : 0;
  return { segments: playlist === null ? [] : parseOurVodPlaylist(playlist), nextIndex };
}

/** What an earlier run left in `dir` (nothing for a new broadcast, whose folder does not exist yet). */
export async function loadEarlierSegments(dir: string): Promise<EarlierSegments> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const text = await readFile(join(dir, VOD_PLAYLIST), 'utf8').catch(() => null);
  return earlierFrom(files, text);
}

/**
 * Parses only the playlists we write ourselves: EXTINF, DISCONTINUITY, `<n>.ts`. Every other tag is dropped, so an
 * ENDLIST (the broadcast was closed by crash recovery, then resumed) or EVENT/VOD type never carries into the rewrite.
 */
export function parseOurVodPlaylist(text: string): WindowSegment[] {
  const segments: WindowSegment[] = [];
  let durationS = 0;
  let discontinuity = false;
  for (const line of text.split('\n')) {
    if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
    else if (line.startsWith('#EXTINF:')) durationS = parseFloat(line.slice(8));
    else if (!line.startsWith('#') && line.trim() !== '') {
      const index = segmentIndex(line.trim());
      if (index !== null) segments.push({ index, durationS, discontinuity });
      discontinuity = false;
    }
  }
  return segments;
}
