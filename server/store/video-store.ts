// VideoStore: the persistence port of the video library (issue 14): one record per library file (the media
// facts probed from it, the admin's title and visibility) and the visibility of each room's replays.
// SQLite (default) and CloudBase implement it; test/store/video-store-contract.ts holds the suite both pass.
import type { Video } from '../../typings/vod';

/** A library video as stored: times as epoch ms; `mtimeMs` is the file's when it was probed (a change reprobes). */
export interface VideoRecord extends Omit<Video, 'createdAt'> {
  createdAt: number;
  mtimeMs: number;
}

/** keyset position: newest first by (createdAt, id) */
export interface VideoPosition { createdAt: number; id: string }

export interface VideoListQuery {
  publicOnly: boolean;
  limit: number;
  after?: VideoPosition;
}

export type VideoPatch = Partial<Pick<VideoRecord, 'title' | 'public' | 'format' | 'durationS' | 'sizeBytes' | 'video' | 'audio' | 'mtimeMs'>>;

export interface VideoStore {
  /** false when a video of that name (or id) is there already */
  insert(v: VideoRecord): Promise<boolean>;
  get(id: string): Promise<VideoRecord | null>;
  byName(name: string): Promise<VideoRecord | null>;
  /** newest first */
  list(q: VideoListQuery): Promise<VideoRecord[]>;
  /** every record (the library scan compares them with the folder) */
  all(): Promise<VideoRecord[]>;
  update(id: string, patch: VideoPatch): Promise<VideoRecord | null>;
  remove(id: string): Promise<VideoRecord | null>;
  /** the replays of the room marked public or hidden; a broadcast not in the map is public */
  replayVisibility(roomId: string): Promise<Map<string, boolean>>;
  setReplayPublic(roomId: string, broadcastId: string, isPublic: boolean): Promise<void>;
  close(): Promise<void>;
}
