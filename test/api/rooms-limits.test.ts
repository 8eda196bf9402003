// Issue 10, row 6 over real HTTP: logins per address, room creation per user and per address (429 + Retry-After),
// the open-room cap per host (409), each refusal counted in /metrics by reason; `cover` must be https.
import { call, login } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** The refusal counts /metrics shows, by reason. */
async function refusals(s: TestServer): Promise<Record<string, number>> {
  const r = await call(s.url, 'GET', '/metrics', { token: s.config.secrets.adminToken });
  const out: Record<string, number> = {};
  for (const m of String(r.body).matchAll(/^wxlive_limit_refusals_total\{reason="([a-z_]+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

function expect429(r: { status: number; headers: Headers; body: any }, code: string): void {
  expect([r.status, r.body.error.code]).toEqual([429, code]);
  const wait = Number(r.headers.get('retry-after'));
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
  expect(r.body.error.retryAfterS).toBe(wait);
}

describe('logins per address', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ LOGIN_PER_IP_PER_MIN: '3' }); });
  afterAll(async () => { await s.stop(true); });

  test('the 4th login from one address within a minute is a 429 with Retry-After, whatever X-Forwarded-For says', async () => {
    for (const code of ['a', 'b', 'c']) await login(s.url, code);
    const r = await call(s.url, 'POST', '/api/auth/login', { body: { code: 'd' }, headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect429(r, 'login_rate_address');
    expect(r.body.error.message).toMatch(/^Too many logins from this address; try again in \d+ s\.$/);
    expect(await refusals(s)).toMatchObject({ login_rate_address: 1 });
  });
});

describe('logins per user', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ LOGIN_PER_USER_PER_MIN: '2' }); });
  afterAll(async () => { await s.stop(true); });

  test('the 3rd login of one user within a minute is a 429, while another user still signs in', async () => {
    await login(s.url, 'same-user');
    await login(s.url, 'same-user');
    const r = await call(s.url, 'POST', '/api/auth/login', { body: { code: 'same-user' } });
    expect429(r, 'login_rate_user');
    expect(r.body.error.message).toMatch(/^Too many logins of this user; try again in \d+ s\.$/);
    expect((await call(s.url, 'POST', '/api/auth/login', { body: { code: 'other-user' } })).status).toBe(200);
    expect(await refusals(s)).toMatchObject({ login_rate_user: 1 });
  });
});

describe('room creation', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ ROOM_CREATE_PER_USER_PER_MIN: '2', ROOM_CREATE_PER_IP_PER_MIN: '3', MAX_OPEN_ROOMS_PER_HOST: '1' });
  });
  afterAll(async () => { await s.stop(true); });

  test('open-room cap (409), then the per-user rate, then the per-address rate (429 + Retry-After)', async () => {
    const [alice, bob] = [await login(s.url, 'alice'), await login(s.url, 'bob')];
    const create = (token: string, title: string) => call(s.url, 'POST', '/api/rooms', { token, body: { title } });

    const first = await create(alice, 'one');
    expect(first.status).toBe(201);
    const capped = await create(alice, 'two');
    expect([capped.status, capped.body.error]).toEqual([409, {
      code: 'too_many_open_rooms', message: 'You already have 1 open rooms; end one before creating another.', limit: 1,
    }]);

    expect((await call(s.url, 'POST', `/api/rooms/${first.body.room.id}/end`, { token: alice })).status).toBe(200);
    expect429(await create(alice, 'three'), 'room_create_rate_user'); // her 3rd attempt this minute
    expect429(await create(bob, 'bob'), 'room_create_rate_address'); // the address's 4th
    expect(await refusals(s)).toMatchObject({ open_rooms_per_host: 1, room_create_rate_user: 1, room_create_rate_address: 1 });
    expect((await call(s.url, 'GET', '/api/rooms?status=idle')).body.rooms).toEqual([]); // nothing refused was stored
  });
});

describe('cover', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(true); });

  test('must be an https:// URL: http:// and other schemes are a 400 naming the field', async () => {
    const token = await login(s.url, 'cover-host');
    for (const cover of ['http://img.example.com/c.jpg', 'ftp://img.example.com/c.jpg', '//img.example.com/c.jpg']) {
      const r = await call(s.url, 'POST', '/api/rooms', { token, body: { title: 't', cover } });
      expect([cover, r.status, r.body.error]).toEqual([cover, 400, { code: 'invalid_request', message: 'cover: must be an https:// URL' }]);
    }
    const ok = await call(s.url, 'POST', '/api/rooms', { token, body: { title: 't', cover: 'https://img.example.com/c.jpg' } });
    expect([ok.status, ok.body.room.cover]).toEqual([201, 'https://img.example.com/c.jpg']);
  });
});
