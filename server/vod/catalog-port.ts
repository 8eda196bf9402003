// The video library as the media side sees it (helpers D: RTMP `vod/<name>`, E: VOD HLS and file paths):
// look a video up by its RTMP name or id, with the absolute path of its file, and check a private video's signature.
import type { Video } from '../../typings/vod';

export type PlayQuery = Record<string, string | string[] | undefined>;

export interface VodCatalog {
  /** a library video by its file name (RTMP `vod/<name>`), with its absolute path */
  byName(name: string): Promise<{ video: Video; path: string } | null>;
  byId(id: string): Promise<{ video: Video; path: string } | null>;
  /** signature check for a private video's media URL (null = ok) */
  checkPlay(video: Video, query: PlayQuery): string | null;
}
