// Builds the media named by MEDIA_PROVIDER: first its signed URLs (the RoomService issues them), then the plane.
import type { Config } from '../config';
import type { MediaUrls } from '../rooms/ports';
import { createEmbeddedPlane } from './embedded/embedded-plane';
import type { MediaPlane, PlaneContext } from './plane';
import { SignedMediaUrls } from './signed-media-urls';
import { createTencentPlane } from './tencent/tencent-plane';
import { TencentMediaUrls } from './tencent/tencent-urls';

export function createMediaUrls(config: Config): MediaUrls {
  switch (config.MEDIA_PROVIDER) {
    case 'embedded':
      return new SignedMediaUrls(config.secrets.signingSecret, config.REPLAY);
    case 'tencent':
      // schema.ts requires these when MEDIA_PROVIDER=tencent
      return new TencentMediaUrls({
        pushDomain: config.TENCENT_PUSH_DOMAIN!, playDomain: config.TENCENT_PLAY_DOMAIN!,
        pushKey: config.TENCENT_PUSH_KEY!, playKey: config.TENCENT_PLAY_KEY, appName: config.TENCENT_APP_NAME,
      });
  }
}

export function createPlane(ctx: PlaneContext): MediaPlane {
  switch (ctx.config.MEDIA_PROVIDER) {
    case 'embedded':
      return createEmbeddedPlane(ctx);
    case 'tencent':
      return createTencentPlane(ctx);
  }
}
