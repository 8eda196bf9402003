// One row of the videos page, whether a library video or a room's replay: what the row shows and where it plays.
import type { Replay, Video, VideoPlayResponse } from '../../typings/vod';
import { api } from '../shared/api';

/** Where an entry plays: HLS first; `file` (an MP4 the browser plays itself) when HLS cannot, null when there is none. */
export interface PlaySources {
  hls: string;
  file: string | null;
}

export interface Entry {
  /** unique within the list: the video id, or the replay's broadcast id */
  key: string;
  title: string;
  durationS: number;
  /** ISO time shown as the date: when the video was added, when the broadcast started */
  at: string;
  /** null for replays: the API does not say how big the MP4 will be */
  sizeBytes: number | null;
  /** a replay's MP4, offered for download */
  download: string | null;
  /** the play URLs, fetched on tap (a private video's are signed and expire) */
  sources(): Promise<PlaySources>;
}

export function videoEntry(video: Video): Entry {
  return {
    key: video.id,
    title: video.title,
    durationS: video.durationS,
    at: video.createdAt,
    sizeBytes: video.sizeBytes,
    download: null,
    async sources() {
      const { play } = await api<VideoPlayResponse>(`/api/videos/${encodeURIComponent(video.id)}/play`);
      // an FLV original is no use to <video>: only an MP4 can be the fallback
      return { hls: play.hls, file: video.format === 'mp4' ? play.file : null };
    },
  };
}

export function replayEntry(replay: Replay): Entry {
  return {
    key: replay.broadcastId,
    title: replay.title,
    durationS: replay.durationS,
    at: replay.startedAt,
    sizeBytes: null,
    download: replay.mp4,
    sources: () => Promise.resolve({ hls: replay.hls, file: replay.mp4 }),
  };
}
