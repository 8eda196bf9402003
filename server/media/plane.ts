// A media plane: who serves the media (embedded RTMP/FLV/HLS, or a CDN-class live service) behind one shape.
// server/server.ts builds the plane named by MEDIA_PROVIDER, gives its urls/viewers to the RoomService,
// then attaches it to the rooms and mounts its routers.
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { StatsSource } from '../api/deps';
import type { AppState } from '../api/deps';
import type { RequestLane } from '../api/media-lane';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import type { MediaUrls, ViewerCounter } from '../rooms/ports';
import type { RoomService } from '../rooms/room-service';

export interface MediaPlane {
  readonly urls: MediaUrls;
  readonly viewers: ViewerCounter;
  readonly stats: StatsSource;
  /** Wire room events both ways and return the HTTP routes this plane serves (media, hooks). */
  attach(rooms: RoomService): PlaneRoutes;
  /** Start listeners; resolves to the RTMP port when this plane runs one. */
  start(): Promise<{ rtmpPort: number | null }>;
  close(): Promise<void>;
}

/** Koa routers (hooks, pages), and media requests answered ahead of Koa (server/api/media-lane.ts). */
export interface PlaneRoutes {
  routers: Router<AppState>[];
  lane?: RequestLane;
}

export interface PlaneContext { config: Config; log: Logger; metrics: Metrics }

export const NO_STREAMS: StatsSource = {
  stream: () => null,
  snapshot: () => ({
    streams: [],
    totals: { streams: 0, publishers: 0, viewers: 0, bytesIn: 0, bytesOut: 0, bitrateIn: 0, bitrateOut: 0 },
  }),
};
