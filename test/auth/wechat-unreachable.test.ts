// WeChat's API out of reach: login answers 503, never hangs or crashes. (Its own file: one embedded
// RTMP server per process, and the main WeChat suite keeps its server up for all its tests.)
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { call } from '../helpers/http';
import { startTestServer } from '../helpers/test-server';

test('WeChat unreachable → 503 wechat_unavailable', async () => {
  // a peer that drops every connection unanswered, as a dead gateway does; a port merely closed after use
  // could be taken by another test's server meanwhile and answer
  const accepted: Socket[] = [];
  const dead = createServer((socket) => { accepted.push(socket); socket.destroy(); });
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const down = await startTestServer({
    AUTH_MODE: 'wechat', WECHAT_APPID: 'wx0123456789abcdef', WECHAT_SECRET: 'app-secret-for-tests',
    WECHAT_API_BASE: `http://127.0.0.1:${(dead.address() as AddressInfo).port}`,
  });
  try {
    const r = await call(down.url, 'POST', '/api/auth/login', { body: { code: 'anything' } });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('wechat_unavailable');
    expect(accepted.length).toBeGreaterThan(0); // the server did try WeChat (not refused before asking)
  } finally {
    await down.stop(true);
    dead.close();
  }
});
