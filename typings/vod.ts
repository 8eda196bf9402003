// The video library contract (issue 14): files under DATA_DIR/vod played over RTMP (`rtmp://host:1935/vod/<name>`,
// nginx-rtmp's `application vod`), VOD HLS and the file itself; every broadcast's replay as a video of its room.
// Keep this file free of runtime imports so every client can `import type` it.

export type VideoFormat = 'flv' | 'mp4';
/** names of library files: letters, digits, `-_.`, ending in .flv or .mp4, no leading dot */
export const VIDEO_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}\.(flv|mp4)$/;
/** default of VOD_MAX_MB */
export const VOD_MAX_MB = 2048;

export interface VideoTrackInfo { codec: string }
export interface VideoStreamInfo extends VideoTrackInfo { width: number; height: number }
export interface AudioStreamInfo extends VideoTrackInfo { sampleRate: number; channels: number }

/** One library video. Times ISO-8601. */
export interface Video {
  id: string;
  /** the file name in DATA_DIR/vod, also its RTMP name */
  name: string;
  title: string;
  public: boolean;
  format: VideoFormat;
  durationS: number;
  sizeBytes: number;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
  createdAt: string;
}

/** `GET /api/videos?limit=&cursor=` (public only; the admin's `GET /api/admin/videos` lists all), newest first. */
export interface VideoListResponse { videos: Video[]; nextCursor: string | null }
/** `GET /api/videos/:id`, `PUT /api/admin/videos/:name` (201), `PATCH /api/admin/videos/:id {title?, public?}` */
export interface VideoResponse { video: Video }
export interface VideoPatchRequest { title?: string; public?: boolean }
/** `GET /api/videos/:id/play`: signed where the video is private. `file` is the original, for progressive download with Range. */
export interface VideoPlayUrls { rtmp: string; hls: string; file: string; expiresAt: string }
export interface VideoPlayResponse { play: VideoPlayUrls }

/** One ended broadcast of a room, as a video. */
export interface Replay {
  roomId: string;
  broadcastId: string;
  title: string;
  startedAt: string;
  endedAt: string | null;
  durationS: number;
  /** hidden replays are listed to the host and admin only, and refused to others */
  public: boolean;
  hls: string;
  /** `/replay/<roomId>/<broadcastId>.mp4`, one MP4 made from the segments without re-encoding */
  mp4: string;
}
/** `GET /api/rooms/:id/replays`; `PATCH /api/rooms/:id/replays/:broadcastId {public}` (host or admin) answers `{replay}`. */
export interface ReplayListResponse { replays: Replay[] }
export interface ReplayResponse { replay: Replay }
export interface ReplayPatchRequest { public: boolean }
