// Environment variables of design.md §2, validated with zod: a bad value names its variable.
import { z } from 'zod';
import { parseCidrList } from './cidr';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = (min: number) => z.coerce.number().min(min);
const onOff = z.enum(['on', 'off']).transform((v) => v === 'on');
const url = (protocols: string[]) =>
  z.string().url().refine((v) => protocols.some((p) => v.startsWith(p + '://')), {
    message: `must start with ${protocols.map((p) => p + '://').join(' or ')}`,
  }).transform((v) => v.replace(/\/+$/, ''));
const optionalText = z.string().min(1).optional();
const count = (min: number) => z.coerce.number().int().min(min);

/** `a,b`: each an http(s) URL (a bad one is named by its place, not echoed: it may carry a token) */
function webhookUrls(value: string, ctx: z.RefinementCtx): string[] {
  const urls = value.split(',').map((u) => u.trim()).filter((u) => u.length > 0);
  urls.forEach((u, i) => {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(u).protocol);
    } catch { /* not a URL */ }
    if (!ok) ctx.addIssue({ code: 'custom', message: `entry ${i + 1} is not an http(s) URL` });
  });
  return urls;
}

export const envSchema = z.object({
  PORT: port.default(8080),
  RTMP_PORT: port.default(1935),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_HTTP_URL: url(['http', 'https']).optional(),
  PUBLIC_RTMP_URL: url(['rtmp', 'rtmps']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PUSH_TTL_S: seconds(1).default(86400),
  PLAY_TTL_S: seconds(1).default(3600),
  SESSION_TTL_S: seconds(60).default(7 * 86400),
  AUTH_MODE: z.enum(['dev', 'wechat']).default('dev'),
  WECHAT_APPID: optionalText,
  WECHAT_SECRET: optionalText,
  WECHAT_API_BASE: url(['http', 'https']).default('https://api.weixin.qq.com'),
  STORE: z.enum(['sqlite', 'cloudbase']).default('sqlite'),
  CLOUDBASE_ENV: optionalText,
  CLOUDBASE_SECRET_ID: optionalText,
  CLOUDBASE_SECRET_KEY: optionalText,
  CLOUDBASE_SERVICE_URL: url(['http', 'https']).optional(),
  MEDIA_PROVIDER: z.enum(['embedded', 'tencent']).default('embedded'),
  TENCENT_PUSH_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be a bare domain such as live.example.com (no scheme, no path)').optional(),
  TENCENT_PLAY_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be a bare domain such as live.example.com (no scheme, no path)').optional(),
  TENCENT_PUSH_KEY: optionalText,
  TENCENT_PLAY_KEY: optionalText,
  TENCENT_CALLBACK_KEY: optionalText,
  TENCENT_APP_NAME: z.string().regex(/^[A-Za-z0-9_-]+$/).default('live'),
  HLS_FRAGMENT_S: seconds(0.5).default(2),
  HLS_PLAYLIST_LENGTH_S: seconds(1).default(10),
  RECONNECT_GRACE_S: seconds(0).default(30),
  REPLAY: onOff.default(true),
  REPLAY_RETENTION_DAYS: seconds(0).default(30),
  FLV_MERGE_MS: z.coerce.number().int().min(0).max(1000).default(100),
  // Limits (README "Limits"): what one client may hold. Per-IP caps count every address alike, so a
  // host behind the same NAT as its audience still gets in (signed publishers evict, see rtmp-ingest).
  TRUSTED_PROXIES: z.string().default('').transform((v, ctx) => parseCidrList(v, ctx)),
  METRICS_PUBLIC: onOff.default(false),
  HTTP_MAX_CONNECTIONS: count(1).default(4000),
  HTTP_MAX_PER_IP: count(1).default(300),
  HTTP_HEADERS_TIMEOUT_S: seconds(1).default(10),
  HTTP_REQUEST_TIMEOUT_S: seconds(1).default(30),
  RTMP_MAX_CONNECTIONS: count(2).default(1000),
  RTMP_PUBLISHER_RESERVE: count(1).default(50),
  RTMP_MAX_PER_IP: count(1).default(100),
  RTMP_MAX_PER_ROOM: count(1).default(500),
  RTMP_HANDSHAKE_TIMEOUT_S: seconds(1).default(10),
  FLV_MAX_PER_IP: count(1).default(100),
  FLV_MAX_PER_ROOM: count(1).default(2000),
  FLV_MAX_VIEWERS: count(1).default(3000),
  HLS_MAX_PER_IP: count(1).default(64),
  HLS_MAX_PER_ROOM: count(1).default(2000),
  HLS_MAX_REQUESTS: count(1).default(3000),
  FILE_STREAMS_MAX: count(1).default(256),
  IDLE_VIEWER_WAIT_S: seconds(1).default(30),
  PUBLISH_MAX_SPEED: z.coerce.number().min(1).default(3),
  HLS_MAX_SEGMENT_MB: z.coerce.number().min(0.5).default(6),
  REPLAY_MAX_BROADCAST_MB: z.coerce.number().min(1).default(4096),
  REPLAY_MAX_ROOM_MB: z.coerce.number().min(1).default(20480),
  REPLAY_MAX_TOTAL_MB: z.coerce.number().min(1).default(102400),
  DISK_MIN_FREE_MB: z.coerce.number().min(0).default(1024),
  LOGIN_PER_IP_PER_MIN: count(1).default(30),
  LOGIN_PER_USER_PER_MIN: count(1).default(10),
  ROOM_CREATE_PER_USER_PER_MIN: count(1).default(5),
  ROOM_CREATE_PER_IP_PER_MIN: count(1).default(30),
  MAX_OPEN_ROOMS_PER_HOST: count(1).default(3),
  COVER_UPLOADS_PER_USER_PER_MIN: count(1).default(10),
  // room chat (issue 13): messages per user per room (token bucket), socket caps, heartbeat
  CHAT_MSGS_PER_S: z.coerce.number().positive().default(1),
  CHAT_MSG_BURST: count(1).default(5),
  CHAT_MAX_PER_IP: count(1).default(100),
  CHAT_MAX_PER_ROOM: count(1).default(5000),
  CHAT_HEARTBEAT_S: seconds(1).default(30),
  // guest sessions for the H5 watch page (POST /api/auth/guest): on/off, and how many per address per minute
  GUEST_CHAT: onOff.default(true),
  GUEST_PER_IP_PER_MIN: count(1).default(10),
  // co-hosting (issue 15): guests who may publish beside the host at once (slots g1–g3)
  COHOST_MAX_GUESTS: count(1).max(3).default(3),
  // video library (issue 14): upload size cap, periodic rescan of DATA_DIR/vod, uploads per admin/IP, slow-upload timeout
  VOD_MAX_MB: z.coerce.number().min(1).default(2048),
  VOD_SCAN_S: seconds(1).default(60),
  VOD_UPLOADS_PER_MIN: count(1).default(10),
  VOD_UPLOAD_IDLE_S: seconds(1).default(30),
  // RTMP VOD players (`rtmp://…/vod/<name>`), inside the RTMP connection caps
  VOD_MAX_PLAYERS: count(1).default(500),
  VOD_MAX_PER_IP: count(1).default(20),
  // content safety for chat messages and nicknames: a word list file, WeChat's msgSecCheck, or none
  CHAT_FILTER: z.enum(['words', 'wechat', 'off']).default('words'),
  CHAT_WORDS_FILE: optionalText,
  // how room events reach every API node: this process only, or Redis pub/sub
  BUS: z.enum(['memory', 'redis']).default('memory'),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  TENCENT_SECRET_ID: optionalText,
  TENCENT_SECRET_KEY: optionalText,
  TENCENT_REGION: z.string().regex(/^[a-z]+(-[a-z]+)+$/, 'must be a region such as ap-guangzhou').default('ap-guangzhou'),
  TENCENT_API_ENDPOINT: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be a bare host such as live.tencentcloudapi.com').default('live.tencentcloudapi.com'),
  // webhooks (issue 16): where events are POSTed (comma-separated http(s) URLs; none: no webhooks), and the
  // HMAC secret of their signature (generated into DATA_DIR/webhook-secret when unset)
  WEBHOOK_URLS: z.string().default('').transform((v, ctx) => webhookUrls(v, ctx)),
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
}).superRefine((env, ctx) => {
  const need = (cond: boolean, names: (keyof typeof env)[], why: string) => {
    if (!cond) return;
    for (const name of names) {
      if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is required when ${why}` });
    }
  };
  need(env.AUTH_MODE === 'wechat', ['WECHAT_APPID', 'WECHAT_SECRET'], 'AUTH_MODE=wechat');
  need(env.CHAT_FILTER === 'wechat', ['WECHAT_APPID', 'WECHAT_SECRET'], 'CHAT_FILTER=wechat');
  need(env.BUS === 'redis', ['REDIS_URL'], 'BUS=redis');
  need(env.STORE === 'cloudbase', ['CLOUDBASE_ENV', 'CLOUDBASE_SECRET_ID', 'CLOUDBASE_SECRET_KEY'], 'STORE=cloudbase');
  need(env.MEDIA_PROVIDER === 'tencent',
    ['TENCENT_PUSH_DOMAIN', 'TENCENT_PLAY_DOMAIN', 'TENCENT_PUSH_KEY', 'TENCENT_CALLBACK_KEY', 'TENCENT_SECRET_ID', 'TENCENT_SECRET_KEY'],
    'MEDIA_PROVIDER=tencent');
  if (env.RTMP_PUBLISHER_RESERVE >= env.RTMP_MAX_CONNECTIONS) {
    ctx.addIssue({ code: 'custom', path: ['RTMP_PUBLISHER_RESERVE'], message: 'must be less than RTMP_MAX_CONNECTIONS' });
  }
  if (env.PORT === env.RTMP_PORT && env.PORT !== 0) {
    ctx.addIssue({ code: 'custom', path: ['RTMP_PORT'], message: 'must differ from PORT' });
  }
  if (env.HLS_PLAYLIST_LENGTH_S < env.HLS_FRAGMENT_S) {
    ctx.addIssue({ code: 'custom', path: ['HLS_PLAYLIST_LENGTH_S'], message: 'must be at least HLS_FRAGMENT_S' });
  }
});

export type Env = z.output<typeof envSchema>;

/** Every variable the server reads, for docs and tests that compare them. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as (keyof Env)[];
