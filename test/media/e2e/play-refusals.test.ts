// Play signatures over HTTP, against a real live room (one ffmpeg publish for the whole file): every refusal reason
// (expired at the second boundary, tampered, another room's, a push signature, none) on every HTTP play route
// (HTTP-FLV, the live playlist, a listed segment, a segment that was never written) gets 403 with its own code, and
// a valid URL still plays afterwards. PLAY_TTL_S=1, so issued play URLs expire within two seconds.
import type { AdminStatsResponse } from '../../../typings/api';
import { killAll } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { publishLive, untilSegments } from '../../helpers/live';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { FlvWatcher, playUrls, until } from './e2e-kit';

let s: TestServer;
let roomId: string;
/** room A's push ticket query: a valid signature, for the wrong action */
let pushQuery: string;
/** a room of another host, whose play signatures must not open room A */
let otherRoomId: string;
/** the number of a segment the live playlist lists */
let listed: number;
const watchers: FlvWatcher[] = [];

beforeAll(async () => {
  s = await startTestServer({ PLAY_TTL_S: '1', HLS_FRAGMENT_S: '1' });
  const a = await createRoom(s.url, 'play refusals');
  roomId = a.room.id;
  pushQuery = a.push.streamKey.split('?')[1]!;
  otherRoomId = (await createRoom(s.url, 'another room', 'host-b')).room.id;
  await publishLive(s.url, roomId, a.push.url);
  // PLAY_TTL_S=1: a URL asked once may expire before a loaded machine cuts the first segment
  const text = await untilSegments(async () => (await playUrls(s.url, roomId)).hls, 1);
  listed = Number(/^(\d+)\.ts\?/m.exec(text)![1]);
}, 30000);

afterAll(async () => {
  for (const w of watchers) w.close();
  await killAll();
  await s?.stop(true);
});

const queryOf = (url: string) => new URL(url).search.slice(1);
/** A fresh play query of the room: valid for at least one second. */
const freshPlayQuery = async (id = roomId) => queryOf((await playUrls(s.url, id)).flv);

const ROUTES = [
  { route: 'HTTP-FLV', path: () => `/live/${roomId}.flv` },
  { route: 'the live playlist', path: () => `/live/${roomId}/index.m3u8` },
  { route: 'a listed segment', path: () => `/live/${roomId}/${listed}.ts` },
  // a refusal must not tell a segment that exists from one that does not
  { route: 'a segment never written', path: () => `/live/${roomId}/${listed + 100000}.ts` },
];

/** GET `path?query` (the query left off when empty); a 200 HTTP-FLV body is abandoned after its head. */
async function get(path: string, query: string): Promise<{ status: number; type: string | null; body: any }> {
  const res = await fetch(`${s.url}${path}${query ? `?${query}` : ''}`);
  const type = res.headers.get('content-type');
  if (type === 'video/x-flv') {
    await res.body?.cancel();
    return { status: res.status, type, body: null };
  }
  const text = await res.text();
  return { status: res.status, type, body: type?.startsWith('application/json') ? JSON.parse(text) : text };
}

const REASONS: Array<{ reason: string; query: () => Promise<string>; code: string }> = [
  {
    reason: 'a tampered signature',
    query: async () => {
      const q = new URLSearchParams(await freshPlayQuery());
      const sign = q.get('sign')!;
      q.set('sign', (sign[0] === 'A' ? 'B' : 'A') + sign.slice(1)); // still 43 canonical base64url characters
      return q.toString();
    },
    code: 'signature_bad_signature',
  },
  { reason: "another room's play signature", query: () => freshPlayQuery(otherRoomId), code: 'signature_bad_signature' },
  { reason: "the room's push signature", query: async () => pushQuery, code: 'signature_wrong_action' },
  { reason: 'no signature', query: async () => '', code: 'signature_malformed' },
];

const MATRIX = REASONS.flatMap((r) => ROUTES.map((route) => ({ ...r, ...route })));

test.each(MATRIX)('$reason on $route: 403 $code', async ({ query, path, code }) => {
  const r = await get(path(), await query());
  expect([r.status, r.type, r.body?.error?.code]).toEqual([403, 'application/json; charset=utf-8', code]);
});

describe('an expired play URL (PLAY_TTL_S=1)', () => {
  let expires: number;
  let before: Array<{ status: number }>;
  let after: Array<{ status: number; body: any }>;
  let afterDoneAt: number;

  beforeAll(async () => {
    const query = await freshPlayQuery();
    expires = Number(new URLSearchParams(query).get('expires'));
    // issued now + 1 s rounded up: at least a second to go, at most two
    expect(expires * 1000 - Date.now()).toBeGreaterThan(500);
    before = await Promise.all(ROUTES.map((r) => get(r.path(), query)));
    // the signature says "valid until `expires`": a millisecond past that second it is refused, not a second later
    await until(() => Date.now() > expires * 1000, 3000, 'the expiry second to pass', 1);
    after = await Promise.all(ROUTES.map((r) => get(r.path(), query)));
    afterDoneAt = Date.now();
  });

  test('the URL played before its expiry second', () => {
    expect(before.map((r) => r.status)).toEqual([200, 200, 200, 404]);
  });

  test.each(ROUTES.map((r, i) => ({ ...r, i })))('on $route just past the expiry second: 403 signature_expired', ({ i }) => {
    expect(afterDoneAt).toBeLessThan((expires + 1) * 1000); // the refusals came within the next second
    expect([after[i]!.status, after[i]!.body?.error?.code]).toEqual([403, 'signature_expired']);
  });
});

test('after all the refusals, a fresh valid URL still plays: HTTP-FLV media, the playlist and its segments', async () => {
  const stats = (await call(s.url, 'GET', '/api/admin/stats', { token: s.config.secrets.adminToken })).body as AdminStatsResponse;
  // no refused request was left attached as an HTTP-FLV viewer
  expect(stats.streams.find((x) => x.roomId === roomId)!.viewers.flv).toBe(0);
  const play = await playUrls(s.url, roomId);
  const viewer = await FlvWatcher.open(play.flv);
  watchers.push(viewer);
  expect(viewer.status).toBe(200);
  const res = await fetch(play.hls);
  expect(res.status).toBe(200);
  const text = await res.text();
  const segment = /^\d+\.ts\?.*$/m.exec(text)![0];
  expect(new URLSearchParams(segment.split('?')[1]).toString()).toBe(queryOf(play.hls)); // URIs carry the caller's signature
  const seg = await fetch(new URL(segment, play.hls));
  expect([seg.status, seg.headers.get('content-type')]).toEqual([200, 'video/mp2t']);
  expect(Buffer.from(await seg.arrayBuffer())[0]).toBe(0x47);
  await until(() => viewer.media().some((t) => t.type === 9 && t.body[0]! >> 4 === 1 && t.body[1] === 1), 5000, 'a video keyframe at the FLV viewer');
});
