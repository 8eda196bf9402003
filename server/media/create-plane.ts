// Builds the media plane named by MEDIA_PROVIDER.
import { createEmbeddedPlane } from './embedded/embedded-plane';
import type { MediaPlane, PlaneContext } from './plane';
import { createTencentPlane } from './tencent/tencent-plane';

export function createPlane(ctx: PlaneContext): MediaPlane {
  switch (ctx.config.MEDIA_PROVIDER) {
    case 'embedded':
      return createEmbeddedPlane(ctx);
    case 'tencent':
      return createTencentPlane(ctx);
  }
}
