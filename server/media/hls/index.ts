// Public surface of the pure HLS pipeline (FLV tags → MPEG-TS segments + playlist text). No I/O here.
// Typical wiring (the writer does the I/O):
//   const hls = new HlsPipeline({ fragmentS: config.HLS_FRAGMENT_S });
//   const live = new LiveWindow(config.HLS_PLAYLIST_LENGTH_S);
//   tap.onTag = (buf) => { for (const seg of hls.pushTag(buf)) { write(`${seg.index}.ts`, seg.chunks);
//     releaseTsChunks(seg.chunks);
//     for (const gone of live.add(seg)) unlink(gone.index); writeAtomic(live.playlist((i) => `${i}.ts`)); } };
//   tap.onEnd = () => { const last = hls.discontinuity(); if (last) /* same as above */; };
export { HlsPipeline, type HlsPipelineOptions } from './pipeline';
export { FlvDemuxer, TICKS_PER_MS } from './flv-demuxer';
export { readFlvTag } from './flv-tag';
export { Segmenter, type SegmenterOptions } from './segmenter';
export { TsMuxer, type TsMuxerOptions } from './ts-muxer';
export { releaseTsChunks } from './ts-blocks';
export { LiveWindow, type WindowSegment } from './live-window';
export { livePlaylist, vodPlaylist, formatDuration, targetDuration } from './playlist';
export type { LivePlaylistInput, VodPlaylistInput, PlaylistSegment } from './playlist';
export { HlsInputError, FlvParseError, CodecError } from './errors';
export { TS_CLOCK_WRAP, PTS_DELAY_TICKS } from './ts-packets';
export type {
  FlvTag, MediaSample, VideoSample, AudioSample, TrackSet, StreamInfo, VideoTrackInfo, AudioTrackInfo, CompletedSegment,
  DemuxResult, StreamConfig, FullBlocks,
} from './types';
