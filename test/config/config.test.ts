// Config: every variable of design.md §2 parsed with its default, and every bad value refused by name.
import { ConfigError, CONFIG_VARIABLES, parseEnv } from '../../server/config';

function problemOf(env: Record<string, string>): string {
  try {
    parseEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('parseEnv', () => {
  test('an empty environment gives the embedded defaults of design.md §2', () => {
    expect(parseEnv({})).toEqual({
      PORT: 8080, RTMP_PORT: 1935, HOST: '0.0.0.0', DATA_DIR: './data',
      PUSH_TTL_S: 86400, PLAY_TTL_S: 3600, SESSION_TTL_S: 7 * 86400,
      AUTH_MODE: 'dev', WECHAT_API_BASE: 'https://api.weixin.qq.com', STORE: 'sqlite', MEDIA_PROVIDER: 'embedded',
      TENCENT_APP_NAME: 'live', HLS_FRAGMENT_S: 2, HLS_PLAYLIST_LENGTH_S: 10, RECONNECT_GRACE_S: 30,
      REPLAY: true, REPLAY_RETENTION_DAYS: 30, FLV_MERGE_MS: 100, LOG_LEVEL: 'info',
      TRUSTED_PROXIES: [], METRICS_PUBLIC: false,
      HTTP_MAX_CONNECTIONS: 4000, HTTP_MAX_PER_IP: 300, HTTP_HEADERS_TIMEOUT_S: 10, HTTP_REQUEST_TIMEOUT_S: 30,
      RTMP_MAX_CONNECTIONS: 1000, RTMP_PUBLISHER_RESERVE: 50, RTMP_MAX_PER_IP: 100, RTMP_MAX_PER_ROOM: 500, RTMP_HANDSHAKE_TIMEOUT_S: 10,
      FLV_MAX_PER_IP: 100, FLV_MAX_PER_ROOM: 2000, FLV_MAX_VIEWERS: 3000, HLS_MAX_PER_IP: 64, HLS_MAX_PER_ROOM: 2000, HLS_MAX_REQUESTS: 3000, FILE_STREAMS_MAX: 256,
      IDLE_VIEWER_WAIT_S: 30, PUBLISH_MAX_SPEED: 3, HLS_MAX_SEGMENT_MB: 6,
      REPLAY_MAX_BROADCAST_MB: 4096, REPLAY_MAX_ROOM_MB: 20480, REPLAY_MAX_TOTAL_MB: 102400, DISK_MIN_FREE_MB: 1024,
      LOGIN_PER_IP_PER_MIN: 30, LOGIN_PER_USER_PER_MIN: 10, ROOM_CREATE_PER_USER_PER_MIN: 5, ROOM_CREATE_PER_IP_PER_MIN: 30, MAX_OPEN_ROOMS_PER_HOST: 3,
      COVER_UPLOADS_PER_USER_PER_MIN: 10,
      CHAT_MSGS_PER_S: 1, CHAT_MSG_BURST: 5, CHAT_MAX_PER_IP: 100, CHAT_MAX_PER_ROOM: 5000, CHAT_HEARTBEAT_S: 30,
      GUEST_CHAT: true, GUEST_PER_IP_PER_MIN: 10, COHOST_MAX_GUESTS: 3,
      VOD_MAX_MB: 2048, VOD_SCAN_S: 60, VOD_UPLOADS_PER_MIN: 10, VOD_UPLOAD_IDLE_S: 30, VOD_MAX_PLAYERS: 500, VOD_MAX_PER_IP: 20, CHAT_FILTER: 'words', BUS: 'memory',
      WEBHOOK_URLS: [],
      TENCENT_REGION: 'ap-guangzhou', TENCENT_API_ENDPOINT: 'live.tencentcloudapi.com',
    });
  });

  test('WEBHOOK_URLS is a comma list of http(s) URLs; a bad entry is named by its place, never echoed', () => {
    expect(parseEnv({ WEBHOOK_URLS: ' http://a.example/hook, https://b.example/x?k=1 ' }).WEBHOOK_URLS)
      .toEqual(['http://a.example/hook', 'https://b.example/x?k=1']);
    const problem = problemOf({ WEBHOOK_URLS: 'https://ok.example,ftp://secret-token@x' });
    expect(problem).toMatch(/WEBHOOK_URLS: entry 2 is not an http\(s\) URL/);
    expect(problem).not.toMatch(/secret-token/);
    expect(problemOf({ WEBHOOK_SECRET: 'short' })).toMatch(/WEBHOOK_SECRET: must be at least 16 characters/);
  });

  test('TRUSTED_PROXIES is a list of addresses and CIDR ranges; a typo stops the start', () => {
    expect(parseEnv({ TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8,::1 ' }).TRUSTED_PROXIES).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(problemOf({ TRUSTED_PROXIES: '10.0.0.0/8,10.0.0.300' })).toMatch(/TRUSTED_PROXIES: must be addresses or CIDR ranges/);
  });

  test('the publisher reserve must leave RTMP room for players', () => {
    expect(problemOf({ RTMP_MAX_CONNECTIONS: '10', RTMP_PUBLISHER_RESERVE: '10' })).toMatch(/RTMP_PUBLISHER_RESERVE: must be less than RTMP_MAX_CONNECTIONS/);
    expect(parseEnv({ RTMP_MAX_CONNECTIONS: '10', RTMP_PUBLISHER_RESERVE: '9' }).RTMP_PUBLISHER_RESERVE).toBe(9);
  });

  test('every variable in the schema is listed in CONFIG_VARIABLES, once', () => {
    expect(new Set(CONFIG_VARIABLES).size).toBe(CONFIG_VARIABLES.length);
    for (const v of ['PORT', 'RTMP_PORT', 'HOST', 'PUBLIC_HTTP_URL', 'PUBLIC_RTMP_URL', 'DATA_DIR', 'SIGNING_SECRET', 'ADMIN_TOKEN',
      'PUSH_TTL_S', 'PLAY_TTL_S', 'AUTH_MODE', 'WECHAT_APPID', 'WECHAT_SECRET', 'WECHAT_API_BASE', 'STORE', 'CLOUDBASE_ENV',
      'CLOUDBASE_SERVICE_URL', 'MEDIA_PROVIDER', 'HLS_FRAGMENT_S', 'HLS_PLAYLIST_LENGTH_S', 'RECONNECT_GRACE_S', 'REPLAY']) {
      expect(CONFIG_VARIABLES).toContain(v);
    }
  });

  test('values are parsed to their types; URLs lose trailing slashes', () => {
    const env = parseEnv({
      PORT: '9000', RTMP_PORT: '0', HOST: '127.0.0.1', PUBLIC_HTTP_URL: 'https://live.example.com/',
      PUBLIC_RTMP_URL: 'rtmp://live.example.com:1935/live//', PUSH_TTL_S: '60', PLAY_TTL_S: '30.5', REPLAY: 'off',
      HLS_FRAGMENT_S: '1', HLS_PLAYLIST_LENGTH_S: '6', RECONNECT_GRACE_S: '0', WECHAT_API_BASE: 'http://127.0.0.1:9/',
    });
    expect(env).toMatchObject({
      PORT: 9000, RTMP_PORT: 0, HOST: '127.0.0.1', PUBLIC_HTTP_URL: 'https://live.example.com',
      PUBLIC_RTMP_URL: 'rtmp://live.example.com:1935/live', PUSH_TTL_S: 60, PLAY_TTL_S: 30.5, REPLAY: false,
      HLS_FRAGMENT_S: 1, HLS_PLAYLIST_LENGTH_S: 6, RECONNECT_GRACE_S: 0, WECHAT_API_BASE: 'http://127.0.0.1:9',
    });
  });

  test('an empty value counts as unset (VAR= in a shell)', () => {
    expect(parseEnv({ PORT: '', AUTH_MODE: '' })).toMatchObject({ PORT: 8080, AUTH_MODE: 'dev' });
  });

  test('variables the server does not read are ignored', () => {
    expect(parseEnv({ PATH: '/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  test.each<[string, string]>([
    ['PORT', 'abc'], ['PORT', '70000'], ['PORT', '-1'], ['PORT', '80.5'],
    ['RTMP_PORT', 'x'], ['RTMP_PORT', '65536'],
    ['PUBLIC_HTTP_URL', 'live.example.com'], ['PUBLIC_HTTP_URL', 'rtmp://live.example.com'],
    ['PUBLIC_RTMP_URL', 'http://live.example.com/live'],
    ['SIGNING_SECRET', 'short'], ['ADMIN_TOKEN', 'short'],
    ['PUSH_TTL_S', '0'], ['PUSH_TTL_S', 'forever'], ['PLAY_TTL_S', '-5'], ['PLAY_TTL_S', 'Infinity'], ['SESSION_TTL_S', '59'],
    ['AUTH_MODE', 'nope'], ['WECHAT_API_BASE', 'ftp://x'],
    ['STORE', 'mysql'], ['CLOUDBASE_SERVICE_URL', 'not a url'], ['MEDIA_PROVIDER', 'wowza'],
    ['TENCENT_APP_NAME', 'a/b'],
    ['HLS_FRAGMENT_S', '0.1'], ['HLS_FRAGMENT_S', 'two'], ['HLS_PLAYLIST_LENGTH_S', '0'], ['RECONNECT_GRACE_S', '-1'],
    ['REPLAY', 'yes'], ['REPLAY_RETENTION_DAYS', '-1'], ['FLV_MERGE_MS', '5000'], ['LOG_LEVEL', 'verbose'],
  ])('%s=%s is refused, naming the variable', (name, value) => {
    const message = problemOf({ [name]: value });
    expect(message).toMatch(new RegExp(`(^|[ ;])${name}: `));
  });

  test('a refused secret is named but its value is never echoed', () => {
    const message = problemOf({ SIGNING_SECRET: 'my-secret-value', ADMIN_TOKEN: 'tok-value' });
    expect(message).toContain('SIGNING_SECRET');
    expect(message).toContain('ADMIN_TOKEN');
    expect(message).not.toContain('my-secret-value');
    expect(message).not.toContain('tok-value');
  });

  test('AUTH_MODE=wechat requires WECHAT_APPID and WECHAT_SECRET', () => {
    const message = problemOf({ AUTH_MODE: 'wechat' });
    expect(message).toContain('WECHAT_APPID: is required when AUTH_MODE=wechat');
    expect(message).toContain('WECHAT_SECRET: is required when AUTH_MODE=wechat');
    expect(parseEnv({ AUTH_MODE: 'wechat', WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' })).toMatchObject({ AUTH_MODE: 'wechat' });
  });

  test('CHAT_FILTER=wechat requires the app settings; BUS=redis requires REDIS_URL (a redis:// or rediss:// URL)', () => {
    const filter = problemOf({ CHAT_FILTER: 'wechat' });
    expect(filter).toContain('WECHAT_APPID: is required when CHAT_FILTER=wechat');
    expect(filter).toContain('WECHAT_SECRET: is required when CHAT_FILTER=wechat');
    expect(problemOf({ BUS: 'redis' })).toContain('REDIS_URL: is required when BUS=redis');
    expect(problemOf({ BUS: 'redis', REDIS_URL: 'http://127.0.0.1:6379' })).toContain('REDIS_URL');
    expect(problemOf({ CHAT_FILTER: 'maybe' })).toContain('CHAT_FILTER');
    expect(parseEnv({ BUS: 'redis', REDIS_URL: 'redis://127.0.0.1:6379/0', CHAT_FILTER: 'off' })).toMatchObject({ BUS: 'redis', REDIS_URL: 'redis://127.0.0.1:6379/0', CHAT_FILTER: 'off' });
  });

  test('STORE=cloudbase and MEDIA_PROVIDER=tencent require their settings', () => {
    const cb = problemOf({ STORE: 'cloudbase' });
    for (const v of ['CLOUDBASE_ENV', 'CLOUDBASE_SECRET_ID', 'CLOUDBASE_SECRET_KEY']) expect(cb).toContain(`${v}: is required`);
    const tc = problemOf({ MEDIA_PROVIDER: 'tencent' });
    for (const v of ['TENCENT_PUSH_DOMAIN', 'TENCENT_PLAY_DOMAIN', 'TENCENT_PUSH_KEY', 'TENCENT_CALLBACK_KEY', 'TENCENT_SECRET_ID', 'TENCENT_SECRET_KEY']) {
      expect(tc).toContain(`${v}: is required`);
    }
  });

  test('HTTP and RTMP cannot share a port (0, "any free port", may repeat)', () => {
    expect(problemOf({ PORT: '9000', RTMP_PORT: '9000' })).toContain('RTMP_PORT: must differ from PORT');
    expect(problemOf({ RTMP_PORT: '8080' })).toContain('RTMP_PORT: must differ from PORT');
    expect(parseEnv({ PORT: '0', RTMP_PORT: '0' })).toMatchObject({ PORT: 0, RTMP_PORT: 0 });
  });

  test('the HLS playlist must hold at least one fragment', () => {
    expect(problemOf({ HLS_FRAGMENT_S: '6', HLS_PLAYLIST_LENGTH_S: '4' })).toContain('HLS_PLAYLIST_LENGTH_S: ');
  });

  test('several bad values are all reported at once', () => {
    const message = problemOf({ PORT: 'abc', AUTH_MODE: 'nope', REPLAY: 'maybe' });
    for (const v of ['PORT', 'AUTH_MODE', 'REPLAY']) expect(message).toContain(`${v}: `);
  });
});

test('COHOST_MAX_GUESTS is 1–3 (there are three guest slots)', () => {
  expect(parseEnv({ COHOST_MAX_GUESTS: '1' }).COHOST_MAX_GUESTS).toBe(1);
  for (const bad of ['0', '4', 'two']) expect(problemOf({ COHOST_MAX_GUESTS: bad })).toMatch(/COHOST_MAX_GUESTS/);
});

test('VOD_MAX_MB and VOD_SCAN_S are positive; a bad value names the variable', () => {
  expect(parseEnv({ VOD_MAX_MB: '1', VOD_SCAN_S: '5' })).toMatchObject({ VOD_MAX_MB: 1, VOD_SCAN_S: 5 });
  for (const bad of ['0', '-3', 'big']) expect(problemOf({ VOD_MAX_MB: bad })).toMatch(/VOD_MAX_MB/);
  expect(problemOf({ VOD_SCAN_S: '0' })).toMatch(/VOD_SCAN_S/);
});
