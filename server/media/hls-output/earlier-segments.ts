// What an earlier run left in a broadcast folder: so a broadcast resumed after a restart continues
// its segment numbering and keeps its replay whole.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WindowSegment } from '../hls';
import { VOD_PLAYLIST, segmentIndex } from './hls-paths';

export function readEarlierSegments(dir: string): { segments: WindowSegment[]; nextIndex: number } {
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return { segments: [], nextIndex: 0 };
  }
  const indexes = files.map(segmentIndex).filter((i): i is number => i !== null);
  const nextIndex = indexes.length ? Math.max(...indexes) + 1 : 0;
  return { segments: parseOurVodPlaylist(dir), nextIndex };
}

/** Parses only the playlists we write ourselves: EXTINF, DISCONTINUITY, `<n>.ts`. */
function parseOurVodPlaylist(dir: string): WindowSegment[] {
  let text: string;
  try {
    text = readFileSync(join(dir, VOD_PLAYLIST), 'utf8');
  } catch {
    return [];
  }
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
