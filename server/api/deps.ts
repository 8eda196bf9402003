// What the HTTP layer is built from; server/main.ts assembles it.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AdminStatsResponse, StreamStats } from '../../typings/api';
import type { LoginService, SessionUser } from '../auth/login';
import type { CohostService } from '../rooms/cohosts/cohost-service';
import type { CoverService } from '../rooms/cover-service';
import type { Actor, ViewerCounter } from '../rooms/ports';
import type { RoomService } from '../rooms/room-service';
import type { StatsHistoryView } from '../stats/stats-history';
import type { ReplayService } from '../vod/replay-service';
import type { VideosApi } from './routes/videos';
import type Router from '@koa/router';

/** Live media figures, from the embedded media plane or a provider. */
export interface StatsSource {
  stream(roomId: string): StreamStats | null;
  snapshot(): Omit<AdminStatsResponse, 'rooms' | 'uptimeS'>;
  /** viewers of the stream dropped as too slow so far; left out where the plane cannot tell (a CDN) */
  droppedViewers?(roomId: string): number;
}

export interface ApiDeps {
  log: Logger;
  rooms: RoomService;
  /** uploaded room covers (POST/GET /api/rooms/:id/cover); left out, those routes do not exist */
  covers?: CoverService;
  login: LoginService;
  /** co-hosting (issue 15): /api/rooms/:id/cohosts… and the guests of GET /api/rooms/:id/play; left out, neither */
  cohosts?: CohostService;
  /** the video library (issue 14): /api/videos…, /api/admin/videos…; left out, those routes do not exist */
  videos?: VideosApi;
  /** a room's replays (issue 14): /api/rooms/:id/replays…; left out, those routes do not exist */
  replays?: ReplayService;
  /** told the reason whenever a limit refuses (wxlive_limit_refusals_total) */
  onLimit?: (reason: string, key: string) => void;
  adminToken: string;
  stats: StatsSource;
  /** the last 30 minutes of stats (GET /api/admin/stats/history); left out, the history is empty */
  history?: StatsHistoryView;
  /** live viewer counts shown in every Room (the media plane's); without it rooms show 0 */
  viewers?: ViewerCounter;
  metrics: Registry;
  publicHttpUrl?: string;
  /** addresses / CIDR ranges whose X-Forwarded-* headers are believed (TRUSTED_PROXIES) */
  trustedProxies?: readonly string[];
  /** serve /metrics without the admin token (METRICS_PUBLIC=on) */
  metricsPublic?: boolean;
  publicRtmpUrl?: string;
  rtmpPort: number;
  startedAt: number;
  /** extra routers (media, web pages, provider hooks) mounted after the API */
  extraRouters?: Router[];
}

export interface AppState {
  requestId: string;
  log: Logger;
  user?: SessionUser;
  /** who is acting, once an auth middleware has run */
  actor?: Actor;
  /** the request came straight from a TRUSTED_PROXIES address, so its X-Forwarded-Proto/Host hold */
  viaTrustedProxy?: boolean;
}
