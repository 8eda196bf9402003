// HLS playlist text builders (RFC 8216, version 3, like nginx-rtmp): pure strings in, pure string out.

export interface PlaylistSegment {
  uri: string;
  durationS: number;
  /** write #EXT-X-DISCONTINUITY before this segment */
  discontinuity: boolean;
}

export interface LivePlaylistInput {
  /** sequence number of segments[0] */
  mediaSequence: number;
  /** discontinuities that have left the window (#EXT-X-DISCONTINUITY-SEQUENCE) */
  discontinuitySequence: number;
  /** the caller's stable target duration; raised to fit the longest segment listed, never lowered */
  targetDurationS?: number;
  segments: readonly PlaylistSegment[];
  /** appended to every segment URI, e.g. "?expires=…&sign=…" (live play signatures) */
  uriSuffix?: string;
}

export interface VodPlaylistInput {
  segments: readonly PlaylistSegment[];
  /** true once the broadcast is over: VOD + ENDLIST; false while it grows: EVENT */
  ended: boolean;
  targetDurationS?: number;
  uriSuffix?: string;
}

/** EXTINF value as written: 3 decimals (rounding, so 1.9996 is "2.000"). */
export function formatDuration(durationS: number): string {
  return (Math.round(durationS * 1000) / 1000).toFixed(3);
}

/** Smallest integer >= every EXTINF as written (and >= the caller's value), at least 1. */
export function targetDuration(segments: readonly PlaylistSegment[], atLeast = 0): number {
  let t = Math.max(1, Math.ceil(atLeast));
  for (const s of segments) t = Math.max(t, Math.ceil(Number(formatDuration(s.durationS))));
  return t;
}

function segmentLines(segments: readonly PlaylistSegment[], uriSuffix: string, lines: string[]): void {
  for (const s of segments) {
    if (s.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXTINF:${formatDuration(s.durationS)},`, s.uri + uriSuffix);
  }
}

/** Sliding-window live playlist (no ENDLIST: players keep reloading it). */
export function livePlaylist(p: LivePlaylistInput): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-MEDIA-SEQUENCE:${p.mediaSequence}`,
    `#EXT-X-TARGETDURATION:${targetDuration(p.segments, p.targetDurationS)}`,
  ];
  if (p.discontinuitySequence > 0) lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${p.discontinuitySequence}`);
  segmentLines(p.segments, p.uriSuffix ?? '', lines);
  return lines.join('\n') + '\n';
}

/**
 * Replay playlist listing every segment of a broadcast. While the broadcast runs it is an EVENT
 * playlist (RFC 8216 forbids a VOD playlist to change); once ended it is VOD with #EXT-X-ENDLIST.
 */
export function vodPlaylist(p: VodPlaylistInput): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-PLAYLIST-TYPE:${p.ended ? 'VOD' : 'EVENT'}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    `#EXT-X-TARGETDURATION:${targetDuration(p.segments, p.targetDurationS)}`,
  ];
  segmentLines(p.segments, p.uriSuffix ?? '', lines);
  if (p.ended) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}
