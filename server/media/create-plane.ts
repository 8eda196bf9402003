// Builds the media plane named by MEDIA_PROVIDER.
import { createEmbeddedPlane } from './embedded/embedded-plane';
import type { MediaPlane, PlaneContext } from './plane';

export function createPlane(ctx: PlaneContext): MediaPlane {
  switch (ctx.config.MEDIA_PROVIDER) {
    case 'embedded':
      return createEmbeddedPlane(ctx);
    case 'tencent':
      throw new Error('MEDIA_PROVIDER=tencent is not implemented yet');
  }
}
