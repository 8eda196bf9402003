// The Tencent Cloud Live (CSS) media plane: hosts push to CSS and viewers play from its CDN; this process
// only signs URLs and turns CSS push callbacks into room events. No RTMP listener, no media in memory,
// so any number of API nodes can run it side by side.
import type { Router } from '@koa/router';
import type { AppState } from '../../api/deps';
import { NO_VIEWERS } from '../../rooms/ports';
import type { RoomService } from '../../rooms/room-service';
import { NO_STREAMS, type MediaPlane, type PlaneContext } from '../plane';
import { tencentHooksRouter } from './tencent-hooks';
import { TencentMediaUrls } from './tencent-urls';

export function createTencentPlane(ctx: PlaneContext): MediaPlane {
  const { config, log } = ctx;
  // schema.ts requires these when MEDIA_PROVIDER=tencent
  const urls = new TencentMediaUrls({
    pushDomain: config.TENCENT_PUSH_DOMAIN!, playDomain: config.TENCENT_PLAY_DOMAIN!,
    pushKey: config.TENCENT_PUSH_KEY!, playKey: config.TENCENT_PLAY_KEY, appName: config.TENCENT_APP_NAME,
  });
  return {
    urls,
    // CSS counts viewers on its CDN (DescribeLiveStreamOnlineList / billing data), not here: report 0, never a guess
    viewers: NO_VIEWERS,
    stats: NO_STREAMS,
    attach(rooms: RoomService): Router<AppState>[] {
      return [tencentHooksRouter({ rooms, callbackKey: config.TENCENT_CALLBACK_KEY!, appName: config.TENCENT_APP_NAME })];
    },
    async start() {
      log.info({ pushDomain: config.TENCENT_PUSH_DOMAIN, playDomain: config.TENCENT_PLAY_DOMAIN }, 'media on Tencent Cloud Live; no RTMP listener here');
      return { rtmpPort: null };
    },
    async close() {},
  };
}
