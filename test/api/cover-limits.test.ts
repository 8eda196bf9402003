// Cover uploads per user per minute (COVER_UPLOADS_PER_USER_PER_MIN): 429 with Retry-After, counted by reason;
// and at most 16 uploads being read at once (each holds up to 2 MB), their places freed when a client goes away.
import { call, createRoom } from '../helpers/http';
import { RawSocket } from '../helpers/raw-socket';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until } from '../helpers/wait';
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

describe('uploads in flight', () => {
  let busy: TestServer;
  beforeAll(async () => { busy = await startTestServer(); });
  afterAll(async () => { await busy.stop(true); });

  /** An upload of a fresh host whose body is not an image: 415 when it gets a place, 429 when none is free. */
  const probe = async (n: number) => {
    const { token, room } = await createRoom(busy.url, 'Probe', `cover-probe-${n}`);
    const res = await fetch(`${busy.url}/api/rooms/${room.id}/cover`, {
      method: 'POST', headers: { 'content-type': 'image/png', authorization: `Bearer ${token}` }, body: 'not an image',
    });
    return { status: res.status, body: await res.json() as any, retryAfter: res.headers.get('retry-after') };
  };

  test('16 slow uploads fill the places: the next is 429 cover_uploads_busy; once they hang up, uploads go through', async () => {
    const slow: RawSocket[] = [];
    for (let i = 0; i < 16; i++) {
      const { token, room } = await createRoom(busy.url, 'Slow', `cover-slow-${i}`);
      // headers and the first bytes of a 1 MB body that never comes
      slow.push(await RawSocket.open(busy.httpPort, `POST /api/rooms/${room.id}/cover HTTP/1.1\r\nhost: 127.0.0.1\r\n`
        + `content-type: image/png\r\nauthorization: Bearer ${token}\r\ncontent-length: 1000000\r\n\r\n\x89PNG`));
    }
    let n = 0;
    let refused: Awaited<ReturnType<typeof probe>> | null = null;
    await until(async () => { refused = await probe(n++); return refused.status === 429; }, 10000, 'the places to fill');
    expect([refused!.body.error.code, refused!.retryAfter]).toEqual(['cover_uploads_busy', '1']);
    const metrics = await call(busy.url, 'GET', '/metrics', { token: busy.config.secrets.adminToken });
    expect(String(metrics.body)).toMatch(/^wxlive_limit_refusals_total\{reason="cover_uploads_busy"\} [1-9]\d*$/m);

    for (const socket of slow) socket.socket.destroy();
    await until(async () => (await probe(n++)).status === 415, 10000, 'the places to be freed');
  });
});
