// The API client over a scripted wx.request: URLs, headers, error mapping, timeouts, 401 → sign in again once.
import { ApiError, ApiTimeout, NetworkError, describeError } from '../../../miniprogram/services/api-error';
import { resetLocale } from '../../../miniprogram/lib/i18n';
import { createApi } from '../../../miniprogram/services/client';
import { SESSION_KEY } from '../../../miniprogram/services/session';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';

const BASE = 'https://live.example.com/';
let wx: FakeWx;
beforeEach(() => { wx = new FakeWx(); });
const client = () => createApi(BASE, () => wx);

test('lists rooms with the query on the URL and no token', async () => {
  wx.on('GET /api/rooms', { status: 200, body: fx.liveRooms });
  const res = await client().listRooms({ status: 'live', limit: 10 });
  expect(res.rooms.map((r) => r.title)).toEqual(['Cooking with Mei', 'Late night guitar']);
  const [req] = wx.requests;
  expect(req.url).toBe('https://live.example.com/api/rooms?status=live&limit=10');
  expect(req.header.Authorization).toBeUndefined();
  expect(req.timeout).toBe(10_000);
});

test('signs in with wx.login, stores the token and sends it as a bearer', async () => {
  wx.on('POST /api/auth/login', { status: 200, body: fx.login('tok-A') });
  wx.on('POST /api/rooms', { status: 201, body: fx.created('R00000000001', 'Hi') });
  const res = await client().createRoom({ title: 'Hi' });
  expect(res.push.url).toContain('rtmp://');
  const [loginReq, createReq] = wx.requests;
  expect(loginReq.data).toEqual({ code: 'code-1' });
  expect(loginReq.header['Content-Type']).toBe('application/json');
  expect(createReq.header.Authorization).toBe('Bearer tok-A');
  expect(createReq.data).toEqual({ title: 'Hi' });
  expect(wx.storage.get(SESSION_KEY)).toMatchObject({ token: 'tok-A' });
});

test('a stored, unexpired token is reused without signing in', async () => {
  wx.storage.set(SESSION_KEY, { token: 'stored', expiresAt: new Date(Date.now() + 3600_000).toISOString(), user: { id: 'u' } });
  wx.on('POST /api/rooms/R00000000001/push', { status: 200, body: { push: fx.push('R00000000001', 2) } });
  const push = await client().pushTicket('R00000000001');
  expect(push).toEqual(fx.push('R00000000001', 2));
  expect(wx.logins).toBe(0);
  expect(wx.requests[0].header.Authorization).toBe('Bearer stored');
});

test('an expired stored token is not used', async () => {
  wx.storage.set(SESSION_KEY, { token: 'old', expiresAt: new Date(Date.now() + 1000).toISOString(), user: { id: 'u' } });
  wx.on('POST /api/auth/login', { status: 200, body: fx.login('fresh') });
  wx.on('POST /api/rooms/R1/end', { status: 200, body: { room: fx.room({ id: 'R1', status: 'ended' }) } });
  await client().endRoom('R1');
  expect(wx.to('/api/rooms/R1/end')[0].header.Authorization).toBe('Bearer fresh');
});

test('a 401 signs in again and repeats the call once', async () => {
  wx.storage.set(SESSION_KEY, { token: 'revoked', expiresAt: new Date(Date.now() + 3600_000).toISOString(), user: { id: 'u' } });
  wx.on('POST /api/auth/login', { status: 200, body: fx.login('renewed') });
  wx.on('POST /api/rooms/R1/push', { status: 401, body: fx.unauthorized }, { status: 200, body: { push: fx.push('R1') } });
  await expect(client().pushTicket('R1')).resolves.toEqual(fx.push('R1'));
  expect(wx.to('/api/rooms/R1/push').map((r) => r.header.Authorization)).toEqual(['Bearer revoked', 'Bearer renewed']);
  expect(wx.logins).toBe(1);
});

test('a second 401 is not retried again', async () => {
  wx.on('POST /api/auth/login', { status: 200, body: fx.login('t') });
  wx.on('POST /api/rooms/R1/push', { status: 401, body: fx.unauthorized });
  const err = await client().pushTicket('R1').catch((e) => e);
  expect(err).toBeInstanceOf(ApiError);
  expect(err).toMatchObject({ status: 401, code: 'unauthorized' });
  expect(wx.to('/api/rooms/R1/push')).toHaveLength(2);
  expect(wx.logins).toBe(2);
});

test('the {error} body becomes a typed ApiError, including replay on room_ended', async () => {
  wx.on('GET /api/rooms/R1/play', { status: 409, body: fx.roomEnded('R1') });
  wx.on('GET /api/rooms/R2', { status: 404, body: fx.roomNotFound('R2') });
  wx.on('GET /api/rooms/R3', { status: 502, body: '<html>bad gateway</html>' });
  const ended = await client().playUrls('R1').catch((e) => e);
  expect(ended).toMatchObject({ status: 409, code: 'room_ended', replay: fx.replayUrl('R1', fx.BROADCAST) });
  await expect(client().getRoom('R2')).rejects.toMatchObject({ status: 404, code: 'room_not_found', message: 'No room with id "R2".' });
  await expect(client().getRoom('R3')).rejects.toMatchObject({ status: 502, code: 'http_502' });
});

test('timeouts and network failures are told apart', async () => {
  wx.on('GET /api/rooms', { fail: 'request:fail timeout' });
  const zh = await client().listRooms().catch((e) => e);
  expect(describeError(zh)).toBe('服务器 10 秒内没有响应。');
  resetLocale('en');
  const t = await client().listRooms().catch((e) => e);
  expect(t).toBeInstanceOf(ApiTimeout);
  expect(describeError(t)).toMatch(/did not answer within 10 s/);
  wx.on('GET /api/rooms', { fail: 'request:fail url not in domain list' });
  const n = await client().listRooms().catch((e) => e);
  expect(n).toBeInstanceOf(NetworkError);
  expect(n.errMsg).toBe('request:fail url not in domain list');
  expect(describeError(new Error('x'))).toBe('Something went wrong. Please try again.');
  resetLocale();
});

test('concurrent authenticated calls share one sign-in', async () => {
  wx.on('POST /api/auth/login', { status: 200, body: fx.login('shared') });
  wx.on('POST /api/rooms/R1/push', { status: 200, body: { push: fx.push('R1') } });
  const api = client();
  await Promise.all([api.pushTicket('R1'), api.pushTicket('R1'), api.pushTicket('R1')]);
  expect(wx.logins).toBe(1);
});
