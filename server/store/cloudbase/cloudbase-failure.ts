// What a failed CloudBase call means for the API: the database is out of reach, so the request gets a
// 503 (never a 500 or a crash) and the log keeps CloudBase's request id for a support ticket.
import type { Logger } from 'pino';
import { ServiceUnavailable } from '../../errors';

/** The fields @cloudbase/node-sdk errors carry (TcbError: code, message, requestId; Node socket errors: code). */
interface SdkErrorish { code?: unknown; message?: unknown; requestId?: unknown }

const TIMEOUT_CODES = new Set(['ESOCKETTIMEDOUT', 'ETIMEDOUT']);

export function sdkErrorCode(err: unknown): string | null {
  const code = (err as SdkErrorish | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : null;
}

export function toStoreUnavailable(err: unknown, op: string, log: Logger): ServiceUnavailable {
  const e = (err ?? {}) as SdkErrorish;
  const code = sdkErrorCode(err);
  const timedOut = code !== null && TIMEOUT_CODES.has(code);
  log.error({
    store: 'cloudbase', op, cloudbaseCode: code,
    cloudbaseRequestId: typeof e.requestId === 'string' && e.requestId ? e.requestId : null,
    cloudbaseMessage: typeof e.message === 'string' ? e.message.slice(0, 300) : String(err),
  }, timedOut ? 'CloudBase request timed out' : 'CloudBase request failed');
  return new ServiceUnavailable(
    timedOut ? 'The room database did not answer in time; try again shortly.'
      : 'The room database is unavailable right now; try again shortly.',
    'store_unavailable',
  );
}
