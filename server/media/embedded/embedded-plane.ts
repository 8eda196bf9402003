// The embedded media plane: RTMP ingest (node-media-server), HTTP-FLV and HLS served by this process.
import type { Router } from '@koa/router';
import type { AppState } from '../../api/deps';
import { NO_VIEWERS } from '../../rooms/ports';
import type { RoomService } from '../../rooms/room-service';
import { NO_STREAMS, type MediaPlane, type PlaneContext } from '../plane';
import { SignedMediaUrls } from '../signed-media-urls';

export function createEmbeddedPlane(ctx: PlaneContext): MediaPlane {
  const { config } = ctx;
  return {
    urls: new SignedMediaUrls(config.secrets.signingSecret, config.REPLAY),
    viewers: NO_VIEWERS,
    stats: NO_STREAMS,
    attach(_rooms: RoomService): Router<AppState>[] {
      return [];
    },
    async start() {
      return { rtmpPort: null };
    },
    async close() {},
  };
}
