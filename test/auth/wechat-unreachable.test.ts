// WeChat's API out of reach: login answers 503, never hangs or crashes. (Its own file: one embedded
// RTMP server per process, and the main WeChat suite keeps its server up for all its tests.)
import { call } from '../helpers/http';
import { freePort } from '../helpers/ports';
import { startTestServer } from '../helpers/test-server';

test('WeChat unreachable → 503 wechat_unavailable', async () => {
  const closed = await freePort(); // nothing listens there
  const down = await startTestServer({
    AUTH_MODE: 'wechat', WECHAT_APPID: 'wx0123456789abcdef', WECHAT_SECRET: 'app-secret-for-tests', WECHAT_API_BASE: `http://127.0.0.1:${closed}`,
  });
  try {
    const r = await call(down.url, 'POST', '/api/auth/login', { body: { code: 'anything' } });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('wechat_unavailable');
  } finally {
    await down.stop(true);
  }
});
