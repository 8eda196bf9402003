// MEDIA_PROVIDER=tencent on a real server (the URL signing's fixed vectors: tencent-urls.test.ts): signed push/play URLs
// checked against md5 computed here, and CSS push callbacks driving the room lifecycle (signature, expiry, retries, grace),
// each begin/end confirmed with DescribeLiveStreamState on a local double of the Tencent Cloud API, which also sees the
// DropLiveStream of every ended room. Issue 10 row 7: a replayed (t, sign) pair moves no room.
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { ConfigError, parseEnv } from '../../server/config';
import { callbackSign } from '../../server/media/tencent/tencent-signing';
import { call, login } from '../helpers/http';
import { startTencentApiServer, type TencentApiServer } from './wire/tencent-api-server';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until, waitFor } from '../helpers/wait';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const PUSH_KEY = 'push-key-0f3a9c';
const PLAY_KEY = 'play-key-77b2e1';
const CALLBACK_KEY = 'callback-key-5d1e0a';
const TENCENT_ENV = {
  MEDIA_PROVIDER: 'tencent', TENCENT_PUSH_DOMAIN: 'push.live.example.com', TENCENT_PLAY_DOMAIN: 'play.live.example.com',
  TENCENT_PUSH_KEY: PUSH_KEY, TENCENT_PLAY_KEY: PLAY_KEY, TENCENT_CALLBACK_KEY: CALLBACK_KEY,
  TENCENT_SECRET_ID: 'AKIDplaceholder', TENCENT_SECRET_KEY: 'placeholder-secret-key', // the test server gets the double's
};

let s: TestServer;
let api: TencentApiServer;
let token: string;
/** a port this test listens on, given as RTMP_PORT: a server that tried to listen there would fail to start */
let heldRtmp: Server;

beforeAll(async () => {
  heldRtmp = createServer((sock) => sock.destroy());
  await new Promise<void>((resolve) => heldRtmp.listen(0, '127.0.0.1', resolve));
  const RTMP_PORT = String((heldRtmp.address() as AddressInfo).port);
  api = await startTencentApiServer();
  s = await startTestServer({
    ...TENCENT_ENV, RTMP_PORT, RECONNECT_GRACE_S: '1', PUSH_TTL_S: '7200', PLAY_TTL_S: '600',
    TENCENT_SECRET_ID: api.secretId, TENCENT_SECRET_KEY: api.secretKey, TENCENT_API_ENDPOINT: api.endpoint,
  });
  token = await login(s.url, 'tencent-host');
});
afterAll(async () => { await s.stop(true); await api.close(); heldRtmp.close(); });

/** t of the next callback: CSS sets it ahead of the send time; each test callback gets its own second */
let nextT = Math.floor(Date.now() / 1000) + 300;
/** A CSS callback as Tencent signs it: sign = md5(key + t), t = expiry in Unix seconds. */
function callback(eventType: 0 | 1, streamId: string, o: { t?: number; key?: string; eventTime?: number } = {}) {
  const t = o.t ?? nextT++;
  return {
    app: 'push.live.example.com', appname: 'live', appid: 1250000000, channel_id: streamId, stream_id: streamId,
    event_type: eventType, event_time: o.eventTime ?? Math.floor(Date.now() / 1000), sequence: '6674468118806626493',
    node: '100.121.160.92', user_ip: '203.0.113.7', stream_param: '', errcode: 0, errmsg: '',
    t, sign: md5((o.key ?? CALLBACK_KEY) + t),
  };
}
const hook = (body: unknown) => call(s.url, 'POST', '/api/hooks/tencent', { body });
const roomOf = async (id: string) => (await call(s.url, 'GET', `/api/rooms/${id}`)).body.room;
async function newRoom(): Promise<string> {
  const r = await call(s.url, 'POST', '/api/rooms', { token, body: { title: 'on CSS' } });
  expect(r.status).toBe(201);
  return r.body.room.id as string;
}

// Fixed vectors: digests computed once by hand in a shell, not by the formula under test. For example
//   printf '%s' "push-key-0f3a9cAbCdEfGh12346553F100" | md5sum   →  ed6c1e8ecd92ee5c265f0cf5cf50e257
test('callback sign = md5(callback key + t) (fixed vector), and the server accepts a callback signed that way', async () => {
  // printf '%s' "callback-key-5d1e0a1700000600" | md5sum
  expect(callbackSign(CALLBACK_KEY, 1700000600)).toBe('1199b0ec8f84e4c00e781bac7082e951');
  const id = await newRoom();
  api.streams.set(id, 'active');
  const t = nextT++;
  const r = await hook({ ...callback(1, id), t, sign: md5(CALLBACK_KEY + t) });
  expect(r.body).toEqual({ code: 0 });
  expect((await roomOf(id)).status).toBe('live');
});

test('a t further than 15 minutes ahead is refused (401 callback_t_too_far), even correctly signed', async () => {
  const id = await newRoom();
  api.streams.set(id, 'active');
  // t = 2100-01-01T00:00:00Z; printf '%s' "callback-key-5d1e0a4102444800" | md5sum
  const far = await hook({ ...callback(1, id), t: 4102444800, sign: 'db869d99340f4edd1d30caa2cf58ed8f' });
  expect([far.status, far.body.error.code]).toEqual([401, 'callback_t_too_far']);
  const justOver = await hook(callback(1, id, { t: Math.floor(Date.now() / 1000) + 15 * 60 + 5 }));
  expect(justOver.status).toBe(401);
  expect((await roomOf(id)).status).toBe('idle');
});

test('push URLs go to the push domain, signed with the push key and carrying exactly that txTime', async () => {
  const before = Math.floor(Date.now() / 1000);
  const r = await call(s.url, 'POST', '/api/rooms', { token, body: { title: 'signed' } });
  const after = Math.ceil(Date.now() / 1000); // expiries are rounded up to the second
  const id = r.body.room.id as string;
  const push = r.body.push;
  const m = /^rtmp:\/\/push\.live\.example\.com\/live\/([0-9A-Za-z]{12})\?txSecret=([0-9a-f]{32})&txTime=([0-9A-F]+)$/.exec(push.url);
  expect(m).not.toBeNull();
  const [, stream, secret, time] = m!;
  expect(stream).toBe(id);
  const expiry = parseInt(time!, 16);
  expect(expiry).toBeGreaterThanOrEqual(before + 7200);
  expect(expiry).toBeLessThanOrEqual(after + 7200);
  expect(time).toBe(expiry.toString(16).toUpperCase());
  expect(secret).toBe(md5(PUSH_KEY + id + time));
  expect(push.server).toBe('rtmp://push.live.example.com/live');
  expect(push.url).toBe(`${push.server}/${push.streamKey}`);
  expect(new Date(push.expiresAt).getTime()).toBe(expiry * 1000);
});

test('play URLs come from the play domain over https (flv, m3u8) and rtmp, signed with the play key', async () => {
  const id = await newRoom();
  const { play } = (await call(s.url, 'GET', `/api/rooms/${id}/play`)).body;
  const time = /txTime=([0-9A-F]+)$/.exec(play.flv)![1]!;
  const q = `txSecret=${md5(PLAY_KEY + id + time)}&txTime=${time}`;
  expect(play).toEqual({
    flv: `https://play.live.example.com/live/${id}.flv?${q}`,
    hls: `https://play.live.example.com/live/${id}.m3u8?${q}`,
    rtmp: `rtmp://play.live.example.com/live/${id}?${q}`,
    expiresAt: new Date(parseInt(time, 16) * 1000).toISOString(),
  });
  expect(md5(PUSH_KEY + id + time)).not.toBe(md5(PLAY_KEY + id + time)); // a play URL is no push URL
});

test('callbacks with a wrong sign or a stale t are refused with 401 and change nothing', async () => {
  const id = await newRoom();
  const wrongKey = await hook(callback(1, id, { key: 'not-the-key' }));
  expect(wrongKey.status).toBe(401);
  expect(wrongKey.body.error.code).toBe('bad_callback_sign');
  const tampered = { ...callback(1, id), t: Math.floor(Date.now() / 1000) + 900 }; // t changed, sign kept
  expect((await hook(tampered)).status).toBe(401);
  const stale = await hook(callback(1, id, { t: Math.floor(Date.now() / 1000) - 5 }));
  expect(stale.status).toBe(401);
  expect(stale.body.error.code).toBe('callback_expired');
  expect((await roomOf(id)).status).toBe('idle');
  const malformed = await hook({ event_type: 1, stream_id: id });
  expect(malformed.status).toBe(400);
  expect((await roomOf(id)).status).toBe('idle');
});

test('begin → live; a replayed begin changes nothing; end → ended after the grace; replays after that change nothing', async () => {
  const id = await newRoom();
  api.streams.set(id, 'active');
  const begin = callback(1, id);
  const r1 = await hook(begin);
  expect(r1.status).toBe(200);
  expect(r1.body).toEqual({ code: 0 });
  const live = await roomOf(id);
  expect(live.status).toBe('live');

  expect((await hook(begin)).body).toEqual({ code: 0 }); // CSS retry of the same message
  expect(await roomOf(id)).toEqual(live);

  api.streams.set(id, 'inactive');
  const end = callback(0, id);
  expect((await hook(end)).body).toEqual({ code: 0 });
  expect((await roomOf(id)).status).toBe('live'); // inside RECONNECT_GRACE_S the room waits for its host
  // a retry of the *begin*, delivered after the end, must not cancel the grace
  expect((await hook({ ...begin, ...signedAt(begin.event_time - 60) })).body).toEqual({ code: 0 });

  const ended = await waitFor(async () => { const r = await roomOf(id); return r.status === 'ended' ? r : null; }, 6000);
  expect(ended.startedAt).toBe(live.startedAt);

  for (const replay of [end, begin]) {
    const r = await hook(replay);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ code: 0 });
  }
  expect(await roomOf(id)).toEqual(ended);
});

test('a publisher that comes back inside the grace keeps the room live', async () => {
  const id = await newRoom();
  const control = await newRoom();
  api.streams.set(id, 'active').set(control, 'active');
  await hook(callback(1, id));
  await hook(callback(1, control));
  api.streams.set(id, 'inactive');
  await hook(callback(0, id));
  api.streams.set(id, 'active');
  await hook(callback(1, id, { eventTime: Math.floor(Date.now() / 1000) })); // back inside the grace
  // The control drops after this room did and never returns. One sweep ends every room past its grace
  // (SQLite: no request is served mid-sweep), so once the control has ended, this room's grace is judged.
  api.streams.set(control, 'inactive');
  await hook(callback(0, control));
  await until(async () => (await roomOf(control)).status === 'ended', 6000, 'the control room to end after its grace');
  expect((await roomOf(id)).status).toBe('live');
});

test('callbacks for other streams or events are acknowledged and ignored; a text/plain body is read too', async () => {
  const id = await newRoom();
  expect((await hook(callback(1, 'not-a-room'))).body).toEqual({ code: 0 });
  expect((await hook({ ...callback(1, id), appname: 'other' })).body).toEqual({ code: 0 });
  expect((await hook({ ...callback(1, id), event_type: 100 })).body).toEqual({ code: 0 }); // a recording event
  expect((await roomOf(id)).status).toBe('idle');
  api.streams.set(id, 'active');
  const r = await call(s.url, 'POST', '/api/hooks/tencent', { raw: JSON.stringify(callback(1, id)), headers: { 'content-type': 'text/plain' } });
  expect(r.body).toEqual({ code: 0 });
  expect((await roomOf(id)).status).toBe('live');
});

test('a CSS domain given as a URL is refused at startup, naming the variable', () => {
  for (const bad of ['rtmp://push.live.example.com', 'push.live.example.com/live', 'https://play.example.com']) {
    const err = (() => { try { parseEnv({ ...TENCENT_ENV, TENCENT_PUSH_DOMAIN: bad }); } catch (e) { return e; } return null; })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.join('; ')).toMatch(/^TENCENT_PUSH_DOMAIN\b.*bare domain/);
  }
  expect(parseEnv({ ...TENCENT_ENV, TENCENT_PLAY_DOMAIN: 'play.example.com:8443' }).TENCENT_PLAY_DOMAIN).toBe('play.example.com:8443');
});

test('no RTMP listener runs in this mode', () => {
  // the server started although RTMP_PORT is a port this test holds: nothing tried to listen there
  expect(s.server.rtmpPort).toBeNull();
  expect(heldRtmp.listening).toBe(true);
});

/** The same event re-signed with an older event_time (a delayed retry). */
function signedAt(eventTime: number) {
  const t = nextT++;
  return { event_time: eventTime, t, sign: md5(CALLBACK_KEY + t) };
}

describe('issue 10, row 7: callbacks cannot be replayed or forged into room changes', () => {
  const refusalCount = async () => {
    const text = String((await call(s.url, 'GET', '/metrics', { token: s.config.secrets.adminToken })).body);
    return Number(/^wxlive_limit_refusals_total\{reason="callback_replayed"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  };

  test('a (t, sign) pair seen before, put on another event, is refused (401 callback_replayed): no room goes live or ends', async () => {
    const mine = await newRoom();
    const idleVictim = await newRoom();
    const liveVictim = await newRoom();
    api.streams.set(mine, 'active').set(liveVictim, 'active');
    const begin = callback(1, mine);
    expect((await hook(begin)).body).toEqual({ code: 0 });
    expect((await hook(callback(1, liveVictim))).body).toEqual({ code: 0 });
    api.streams.set(idleVictim, 'active'); // even while CSS would say yes: the pair belongs to another event
    const before = await refusalCount();

    for (const forged of [{ ...begin, stream_id: idleVictim, channel_id: idleVictim }, { ...begin, event_type: 0, stream_id: liveVictim }]) {
      const r = await hook(forged);
      expect([r.status, r.body.error.code]).toEqual([401, 'callback_replayed']);
    }
    expect((await roomOf(idleVictim)).status).toBe('idle');
    expect((await roomOf(liveVictim)).status).toBe('live');
    expect((await roomOf(liveVictim)).status).toBe('live');
    expect(await refusalCount()).toBe(before + 2);
    expect((await hook(begin)).body).toEqual({ code: 0 }); // the same event again (a CSS retry) is still welcome
  });

  test('begin and end act only when DescribeLiveStreamState agrees; the SDK asked for that stream on the push domain', async () => {
    const id = await newRoom();
    const control = await newRoom();
    api.streams.set(control, 'active');
    await hook(callback(1, control));
    const from = api.calls.length;
    expect((await hook(callback(1, id))).body).toEqual({ code: 0 }); // CSS says inactive: nobody is pushing
    expect((await roomOf(id)).status).toBe('idle');
    expect(api.calls.slice(from)).toEqual([{
      action: 'DescribeLiveStreamState', version: '2018-08-01', region: 'ap-guangzhou',
      params: { AppName: 'live', DomainName: 'push.live.example.com', StreamName: id },
    }]);
    api.streams.set(id, 'active');
    await hook(callback(1, id));
    expect((await roomOf(id)).status).toBe('live');
    expect((await hook(callback(0, id))).body).toEqual({ code: 0 }); // CSS still sees the push: a forged or stale end
    const room = await roomOf(id);
    expect(room.status).toBe('live');
    // the control really drops after that end; once its grace has run out, this room's would have too
    api.streams.set(control, 'inactive');
    await hook(callback(0, control));
    await until(async () => (await roomOf(control)).status === 'ended', 6000, 'the control room to end after its grace');
    expect(await roomOf(id)).toEqual(room);
  });

  test('an unavailable Tencent API is a 503 (CSS retries) and changes nothing; the retry of the same callback then applies', async () => {
    const id = await newRoom();
    api.streams.set(id, 'active');
    const begin = callback(1, id);
    api.failNext('InternalError');
    const r = await hook(begin);
    expect([r.status, r.body.error.code]).toEqual([503, 'tencent_api_unavailable']);
    expect((await roomOf(id)).status).toBe('idle');
    expect((await hook(begin)).body).toEqual({ code: 0 });
    expect((await roomOf(id)).status).toBe('live');
  });

  test('ending or deleting a room drops its publisher at CSS (DropLiveStream)', async () => {
    const ended = await newRoom();
    const deleted = await newRoom();
    api.streams.set(ended, 'active').set(deleted, 'active');
    await hook(callback(1, ended));
    await hook(callback(1, deleted));
    expect((await call(s.url, 'POST', `/api/rooms/${ended}/end`, { token })).status).toBe(200);
    expect((await call(s.url, 'DELETE', `/api/admin/rooms/${deleted}`, { token: s.config.secrets.adminToken })).status).toBe(204);
    const dropped = () => api.calls.filter((c) => c.action === 'DropLiveStream').map((c) => c.params.StreamName);
    await until(() => dropped().includes(ended) && dropped().includes(deleted), 5000, 'DropLiveStream for both rooms');
    expect(api.calls.find((c) => c.action === 'DropLiveStream' && c.params.StreamName === ended)!.params)
      .toEqual({ AppName: 'live', DomainName: 'push.live.example.com', StreamName: ended });
    expect([api.streams.get(ended), api.streams.get(deleted)]).toEqual(['inactive', 'inactive']);
  });
});
