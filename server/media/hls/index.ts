// Public surface of the pure HLS pipeline (FLV tags → MPEG-TS segments + playlist text). No I/O here.
export { HlsPipeline, type HlsPipelineOptions } from './pipeline';
export { FlvDemuxer, TICKS_PER_MS } from './flv-demuxer';
export { readFlvTag } from './flv-tag';
export { Segmenter, type SegmenterOptions } from './segmenter';
export { TsMuxer, type TsMuxerOptions } from './ts-muxer';
export { LiveWindow, type WindowSegment } from './live-window';
export { livePlaylist, vodPlaylist, formatDuration, targetDuration } from './playlist';
export type { LivePlaylistInput, VodPlaylistInput, PlaylistSegment } from './playlist';
export { HlsInputError, FlvParseError, CodecError } from './errors';
export { TS_CLOCK_WRAP, PTS_DELAY_TICKS } from './ts-packets';
export type {
  FlvTag, MediaSample, VideoSample, AudioSample, TrackSet, StreamInfo, VideoTrackInfo, AudioTrackInfo, CompletedSegment,
} from './types';
