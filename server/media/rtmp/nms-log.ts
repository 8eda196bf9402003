// Routes node-media-server's console logger (a module singleton) into pino, so it never prints on stdout.
import type { Logger } from 'pino';
import { nmsLogger } from './nms';

/**
 * NMS logs routine chatter at info/error (e.g. every client close, "unknown command"), so all of it goes to
 * debug; `warn` carries only our patches' messages (malformed input, slow viewers), so it stays warn.
 */
export function routeNmsLog(log: Logger): void {
  nmsLogger.level = 'trace';
  nmsLogger.log = (message: string, level = 'info') => {
    if (level === 'warn') log.warn(message);
    else if (level === 'trace') log.trace(message);
    else log.debug(message);
  };
}
