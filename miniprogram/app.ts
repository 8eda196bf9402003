// The mini-program entry. Pages are built with Component() (see pages/*/index.ts).
import type { SocketPort } from './services/room-socket';
import type { WxPort } from './services/wx-port';

// compile-time proof that the real wx API satisfies the port the services are written against
type Satisfies<T extends U, U> = T;
export type WxSatisfiesPort = Satisfies<WechatMiniprogram.Wx, WxPort>;
export type WxSatisfiesSocketPort = Satisfies<WechatMiniprogram.Wx, SocketPort>;

App({
  onLaunch() {
    // nothing to prepare: the session signs in lazily on the first host action
  },
});
