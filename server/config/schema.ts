// Environment variables of design.md §2, validated with zod: a bad value names its variable.
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = (min: number) => z.coerce.number().min(min);
const onOff = z.enum(['on', 'off']).transform((v) => v === 'on');
const url = (protocols: string[]) =>
  z.string().url().refine((v) => protocols.some((p) => v.startsWith(p + '://')), {
    message: `must start with ${protocols.map((p) => p + '://').join(' or ')}`,
  }).transform((v) => v.replace(/\/+$/, ''));
const optionalText = z.string().min(1).optional();

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
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
}).superRefine((env, ctx) => {
  const need = (cond: boolean, names: (keyof typeof env)[], why: string) => {
    if (!cond) return;
    for (const name of names) {
      if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is required when ${why}` });
    }
  };
  need(env.AUTH_MODE === 'wechat', ['WECHAT_APPID', 'WECHAT_SECRET'], 'AUTH_MODE=wechat');
  need(env.STORE === 'cloudbase', ['CLOUDBASE_ENV', 'CLOUDBASE_SECRET_ID', 'CLOUDBASE_SECRET_KEY'], 'STORE=cloudbase');
  need(env.MEDIA_PROVIDER === 'tencent',
    ['TENCENT_PUSH_DOMAIN', 'TENCENT_PLAY_DOMAIN', 'TENCENT_PUSH_KEY', 'TENCENT_CALLBACK_KEY'], 'MEDIA_PROVIDER=tencent');
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
