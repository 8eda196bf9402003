// Issued URLs use PUBLIC_HTTP_URL / PUBLIC_RTMP_URL when set, otherwise the Host the client used.
import { call, createRoom, rawRequest } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';

// one server at a time: the embedded RTMP server is one per process
const servers: TestServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.stop(true); });

test('without PUBLIC_* the bases follow the request Host (name or IPv6 literal)', async () => {
  const s = await startTestServer();
  servers.push(s);
  const { room } = await createRoom(s.url, 'host derived');
  const byName = await rawRequest(s.url, 'GET', `/api/rooms/${room.id}/play`, { headers: { host: 'live.example.org:8080' } });
  expect(byName.body.play.flv).toMatch(new RegExp(`^http://live\\.example\\.org:8080/live/${room.id}\\.flv\\?`));
  expect(byName.body.play.rtmp).toMatch(new RegExp(`^rtmp://live\\.example\\.org:${s.rtmpPort}/live/${room.id}\\?`));
  const v6 = await rawRequest(s.url, 'GET', `/api/rooms/${room.id}/play`, { headers: { host: '[::1]:8080' } });
  expect(v6.body.play.hls).toMatch(new RegExp(`^http://\\[::1\\]:8080/live/${room.id}/index\\.m3u8\\?`));
  expect(v6.body.play.rtmp).toMatch(new RegExp(`^rtmp://\\[::1\\]:${s.rtmpPort}/live/`));
});

test('PUBLIC_HTTP_URL and PUBLIC_RTMP_URL are used for every issued URL, whatever the Host', async () => {
  const s = await startTestServer({ PUBLIC_HTTP_URL: 'https://cdn.example.com/', PUBLIC_RTMP_URL: 'rtmp://push.example.com/live' });
  servers.push(s);
  const { room, push } = await createRoom(s.url, 'public bases');
  expect(push.server).toBe('rtmp://push.example.com/live');
  expect(push.url).toMatch(new RegExp(`^rtmp://push\\.example\\.com/live/${room.id}\\?expires=`));
  const play = (await call(s.url, 'GET', `/api/rooms/${room.id}/play`)).body.play;
  expect(play.flv).toMatch(new RegExp(`^https://cdn\\.example\\.com/live/${room.id}\\.flv\\?`));
  expect(play.hls).toMatch(new RegExp(`^https://cdn\\.example\\.com/live/${room.id}/index\\.m3u8\\?`));
  expect(play.rtmp).toMatch(new RegExp(`^rtmp://push\\.example\\.com/live/${room.id}\\?`));
});

const forwarded = { host: 'internal:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'live.example.com, inner.proxy' };

test('X-Forwarded-Proto/Host from an untrusted client are ignored, even with PUBLIC_HTTP_URL set', async () => {
  const s = await startTestServer({ PUBLIC_HTTP_URL: 'https://cdn.example.com' });
  servers.push(s);
  const { room } = await createRoom(s.url, 'forged proxy headers');
  const r = await rawRequest(s.url, 'GET', `/api/rooms/${room.id}/play`, { headers: forwarded });
  expect(r.body.play.flv).toMatch(/^https:\/\/cdn\.example\.com\//); // configured base
  expect(r.body.play.rtmp).toMatch(new RegExp(`^rtmp://internal:${s.rtmpPort}/live/`)); // the Host, not the forged header
});

test('X-Forwarded-Proto/Host from a TRUSTED_PROXIES address name the public side (first value of a chain)', async () => {
  const s = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1' });
  servers.push(s);
  const { room } = await createRoom(s.url, 'behind a proxy');
  const r = await rawRequest(s.url, 'GET', `/api/rooms/${room.id}/play`, { headers: forwarded });
  expect(r.body.play.hls).toMatch(new RegExp(`^https://live\\.example\\.com/live/${room.id}/index\\.m3u8\\?`));
  expect(r.body.play.rtmp).toMatch(new RegExp(`^rtmp://live\\.example\\.com:${s.rtmpPort}/live/`));
  // a proxy that forwards only the address keeps the Host and the socket's scheme
  const plain = await rawRequest(s.url, 'GET', `/api/rooms/${room.id}/play`, { headers: { host: 'internal:8080', 'x-forwarded-for': '203.0.113.9' } });
  expect(plain.body.play.flv).toMatch(/^http:\/\/internal:8080\/live\//);
});
