// Cover uploads per user per minute (COVER_UPLOADS_PER_USER_PER_MIN): 429 with Retry-After, counted by reason.
import { call, createRoom } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { taggedPng } from './cover-images';

describe('uploads per user per minute', () => {
  let limited: TestServer;
  beforeAll(async () => { limited = await startTestServer({ COVER_UPLOADS_PER_USER_PER_MIN: '2' }); });
  afterAll(async () => { await limited.stop(true); });

  test('the 3rd upload of one user within a minute is a 429 with Retry-After, counted in /metrics', async () => {
    const { token, room } = await createRoom(limited.url, 'Rate', 'cover-rate');
    const send = () => fetch(`${limited.url}/api/rooms/${room.id}/cover`, {
      method: 'POST', headers: { 'content-type': 'image/png', authorization: `Bearer ${token}` }, body: new Uint8Array(taggedPng()),
    });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const refused = await send();
    const body = await refused.json() as any;
    expect([refused.status, body.error.code]).toEqual([429, 'cover_upload_rate_user']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(body.error.message).toMatch(/^You are uploading covers too fast; try again in \d+ s\.$/);
    const metrics = await call(limited.url, 'GET', '/metrics', { token: limited.config.secrets.adminToken });
    expect(String(metrics.body)).toMatch(/^wxlive_limit_refusals_total\{reason="cover_upload_rate_user"\} 1$/m);
    // another host is not held back
    const other = await createRoom(limited.url, 'Other', 'cover-rate-2');
    expect((await fetch(`${limited.url}/api/rooms/${other.room.id}/cover`, {
      method: 'POST', headers: { 'content-type': 'image/png', authorization: `Bearer ${other.token}` }, body: new Uint8Array(taggedPng()),
    })).status).toBe(200);
  });
});
