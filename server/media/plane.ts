// A media plane: who serves the media (embedded RTMP/FLV/HLS, or a CDN-class live service) behind one shape.
// Construction is one way: server/server.ts builds the media URLs (createMediaUrls), the RoomService with them,
// then the plane over the rooms (it wires room events both ways itself), then the API, which asks the plane
// for viewer counts and stats when it shows a room.
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { AppState, StatsSource } from '../api/deps';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import type { ViewerCounter } from '../rooms/ports';
import type { RoomService } from '../rooms/room-service';
import type { EmbeddedMediaHttp } from './embedded/media-http';
import type { GuestPublishCheck } from '../rooms/cohosts/guest-publish';
import type { VodCatalog } from './vod/types';

export type { StatsSource };

export interface MediaPlane {
  readonly viewers: ViewerCounter;
  readonly stats: StatsSource;
  /** The HTTP routes this plane serves (media, hooks). */
  readonly routes: PlaneRoutes;
  /** Start listeners; resolves to the RTMP port when this plane runs one. */
  start(): Promise<{ rtmpPort: number | null }>;
  close(): Promise<void>;
}

/** Koa routers (hooks, pages), and the media requests the HTTP layer answers ahead of Koa (server/api/media-lane.ts). */
export interface PlaneRoutes {
  routers: Router<AppState>[];
  media?: EmbeddedMediaHttp;
}

/** What the media tells those outside it (the webhooks, issue 16): a publish it refused, a replay whose files are complete. */
export interface PlaneHooks {
  publishRefused?(roomId: string, reason: string): void;
  replayReady?(roomId: string, broadcastId: string): void;
}

export interface PlaneContext {
  config: Config; log: Logger; metrics: Metrics; rooms: RoomService; hooks?: PlaneHooks; cohosts?: GuestPublishCheck;
  /** the video library: with it the embedded plane serves RTMP `vod/<name>` (server/media/vod) */
  vod?: VodCatalog;
}

export const NO_STREAMS: StatsSource = {
  stream: () => null,
  snapshot: () => ({
    streams: [],
    totals: { streams: 0, publishers: 0, viewers: 0, bytesIn: 0, bytesOut: 0, bitrateIn: 0, bitrateOut: 0 },
  }),
};
