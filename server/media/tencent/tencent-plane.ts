// The Tencent Cloud Live (CSS) media plane: hosts push to CSS and viewers play from its CDN; this process
// only signs URLs, turns CSS push callbacks into room events (confirmed with the CSS API) and cuts the
// publisher off at CSS when a room ends. No RTMP listener, no media in memory, so any number of API nodes
// can run it side by side.
import { NO_VIEWERS } from '../../rooms/ports';
import { NO_STREAMS, type MediaPlane, type PlaneContext } from '../plane';
import { tencentHooksRouter } from './tencent-hooks';
import { TencentLiveApi } from './tencent-live-api';

export function createTencentPlane(ctx: PlaneContext): MediaPlane {
  const { config, log, metrics, rooms } = ctx;
  // schema.ts requires these when MEDIA_PROVIDER=tencent
  const api = new TencentLiveApi({
    secretId: config.TENCENT_SECRET_ID!, secretKey: config.TENCENT_SECRET_KEY!, region: config.TENCENT_REGION,
    endpoint: config.TENCENT_API_ENDPOINT, pushDomain: config.TENCENT_PUSH_DOMAIN!, appName: config.TENCENT_APP_NAME,
    log: log.child({ mod: 'tencent-api' }),
  });
  // the node whose conditional write ended the room (host, admin, grace, idle expiry, delete) drops it, once
  rooms.events.on('ended', (room) => {
    void api.dropStream(room.id).then((dropped) => {
      if (dropped) log.info({ roomId: room.id }, 'ended room dropped at CSS');
    });
  });
  return {
    // CSS counts viewers on its CDN (DescribeLiveStreamOnlineList / billing data), not here: report 0, never a guess
    viewers: NO_VIEWERS,
    stats: NO_STREAMS,
    routes: { routers: [tencentHooksRouter({
      rooms, streamState: (name) => api.streamState(name), callbackKey: config.TENCENT_CALLBACK_KEY!,
      appName: config.TENCENT_APP_NAME, onRefusal: (reason) => metrics.limitRefusals.inc({ reason }),
    })] },
    async start() {
      log.info({ pushDomain: config.TENCENT_PUSH_DOMAIN, playDomain: config.TENCENT_PLAY_DOMAIN }, 'media on Tencent Cloud Live; no RTMP listener here');
      return { rtmpPort: null };
    },
    async close() {},
  };
}
