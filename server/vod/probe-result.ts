// What probing a library file finds: the Video fields that come from the media itself.
import type { AudioStreamInfo, VideoFormat, VideoStreamInfo } from '../../typings/vod';

export interface ProbeResult {
  format: VideoFormat;
  durationS: number;
  sizeBytes: number;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
}

/** seconds with millisecond precision, as the API shows them */
export const roundSeconds = (s: number): number => Math.round(s * 1000) / 1000;
