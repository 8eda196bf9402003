// POST /api/hooks/tencent: CSS push callbacks (event_type 1 = push began, 0 = push ended) drive the same
// room lifecycle as the embedded RTMP server. Any API node may receive any callback, and CSS retries
// (every minute, up to 12 times) until it gets a 200: so the handler checks the signature and expiry,
// keeps no state of its own, and answers {"code":0} whenever retrying could not change the outcome.
// CSS signs only `t` (sign = md5(key + t)), not the event: a captured (t, sign) pair could be put on any
// other body. So a pair is bound, in the shared store, to the event that first used it (another event with it
// is refused on every node), `t` may lie at most 15 minutes ahead, and begin/end are acted on only once
// DescribeLiveStreamState confirms that the stream really is (or is no longer) being pushed.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AppState } from '../../api/deps';
import { parse } from '../../api/validate';
import { DomainError, InvalidInput, Unauthorized } from '../../errors';
import { ROOM_ID_PATTERN } from '../../rooms/ids';
import type { RoomService } from '../../rooms/room-service';
import type { StreamState } from './tencent-live-api';
import { callbackSign, sameDigest } from './tencent-signing';

export const TENCENT_HOOK_PATH = '/api/hooks/tencent';
export const PUSH_BEGIN = 1;
export const PUSH_END = 0;
/**
 * A delivery older than the room's last change by more than this is a late retry, not news: e.g. a
 * "began" retried after the "ended" that followed it must not revive the room. Event times are whole
 * seconds on Tencent's clock, hence the slack.
 */
const STALE_SLACK_MS = 5000;
/** CSS sets t a few minutes ahead (10 by default); a t further out is no callback of theirs */
export const MAX_T_AHEAD_MS = 15 * 60_000;
/** the same cap as the API's JSON bodies; CSS callbacks are well under 2 KB */
const MAX_BODY_BYTES = 16 * 1024;

const callbackBody = z.object({
  event_type: z.coerce.number().int(),
  stream_id: z.string().min(1).max(256),
  t: z.coerce.number().int().positive(),
  sign: z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hex digits'),
  event_time: z.coerce.number().int().positive().optional(),
  appname: z.string().max(256).optional(),
});

export interface TencentHookOptions {
  rooms: RoomService;
  /** asks CSS whether a stream is being pushed (DescribeLiveStreamState) */
  streamState: (streamName: string) => Promise<StreamState>;
  callbackKey: string;
  appName: string;
  /** told the reason of every refused replay (wxlive_limit_refusals_total) */
  onRefusal?: (reason: string) => void;
  now?: () => number;
}

/** CSS posts JSON, but a proxy may relabel it: read a body the JSON parser skipped ourselves. */
async function bodyOf(ctx: Context): Promise<unknown> {
  const req = ctx.request as { body?: unknown; rawBody?: string };
  if (req.rawBody !== undefined) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new DomainError('too_large', 'payload_too_large', 'The callback body is over 16 KB.');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InvalidInput('The callback body is not valid JSON.', 'invalid_json');
  }
}

export function tencentHooksRouter(o: TencentHookOptions): Router<AppState> {
  const now = o.now ?? Date.now;
  const router = new Router<AppState>();

  router.post(TENCENT_HOOK_PATH, async (ctx) => {
    const cb = parse(callbackBody, await bodyOf(ctx));
    if (!sameDigest(callbackSign(o.callbackKey, cb.t), cb.sign)) {
      throw new Unauthorized('The callback signature does not match TENCENT_CALLBACK_KEY.', 'bad_callback_sign');
    }
    if (cb.t * 1000 < now()) throw new Unauthorized('The callback has expired (its t is in the past).', 'callback_expired');
    if (cb.t * 1000 > now() + MAX_T_AHEAD_MS) {
      throw new Unauthorized('The callback\'s t is more than 15 minutes ahead.', 'callback_t_too_far');
    }

    const log = ctx.state.log.child({ hook: 'tencent', event: cb.event_type, roomId: cb.stream_id.slice(0, 64) });
    // a repeat of the same event (a CSS retry) may pass: acting on it again is harmless, and a retry after a 503 must
    const event = `${cb.event_type}:${cb.stream_id}`;
    const first = await o.rooms.claimOnce(`tencent-callback:${cb.t}:${cb.sign.toLowerCase()}`, event, cb.t * 1000);
    if (first !== null && first !== event) {
      log.warn({ reason: 'callback_replayed' }, 'tencent callback refused: its (t, sign) pair was used by another event');
      o.onRefusal?.('callback_replayed');
      throw new Unauthorized('This callback signature was already used for another event.', 'callback_replayed');
    }
    const ack = (outcome: string) => {
      log.info({ outcome }, 'tencent callback');
      ctx.body = { code: 0 };
    };
    if (cb.event_type !== PUSH_BEGIN && cb.event_type !== PUSH_END) return ack('ignored: not a push event');
    if (cb.appname !== undefined && cb.appname !== o.appName) return ack('ignored: another app name');
    if (!ROOM_ID_PATTERN.test(cb.stream_id)) return ack('ignored: not a room stream');

    try {
      const room = await o.rooms.get(cb.stream_id);
      const eventMs = cb.event_time !== undefined ? cb.event_time * 1000 : null;
      if (cb.event_type === PUSH_BEGIN) {
        if (eventMs !== null && room.disconnectedAt !== null && eventMs + STALE_SLACK_MS < room.disconnectedAt) {
          return ack('ignored: a began event older than the last drop');
        }
        if (room.status === 'ended') return ack('ignored: room is ended');
        const state = await o.streamState(room.id);
        if (state !== 'active') return ack(`ignored: CSS reports the stream ${state}`);
        await o.rooms.publisherStarted(room.id);
        return ack('live');
      }
      if (room.status !== 'live') return ack(`ignored: room is ${room.status}`);
      if (eventMs !== null && room.startedAt !== null && eventMs + STALE_SLACK_MS < room.startedAt) {
        return ack('ignored: an ended event older than the broadcast');
      }
      const state = await o.streamState(room.id);
      if (state === 'active') return ack('ignored: CSS reports the stream still active');
      await o.rooms.publisherStopped(room.id);
      return ack('publisher gone: grace started');
    } catch (err) {
      // unknown or ended room, or another node applied the same event first: nothing a retry could fix
      if (err instanceof DomainError && (err.kind === 'not_found' || err.kind === 'conflict')) return ack(`ignored: ${err.code}`);
      throw err; // the store or the CSS API is unavailable (503): let CSS retry
    }
  });

  return router;
}
