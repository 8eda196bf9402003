// Issue 3 end to end: publishes the server must refuse (no, tampered, play, other room's signature; ended room;
// a second publisher) — each refused, logged with its reason and without any signature or secret, and nothing
// from it reaches the room's FLV viewer. (The expired signature has its own file: it needs PUSH_TTL_S=1.)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { killAll, publish } from '../../helpers/ffmpeg';
import { call, createRoom } from '../../helpers/http';
import { capturingLogger, startTestServer, type TestServer } from '../../helpers/test-server';
import { FlvWatcher, getRoom, logEntries, metricValue, playUrls, publishersSeen, until, untilStatus, within } from './e2e-kit';

let s: TestServer;
const captured = capturingLogger();
/** every signature this file handles: none may appear in a log line */
const signatures = new Set<string>();
const watchers: FlvWatcher[] = [];

beforeAll(async () => {
  s = await startTestServer({ HLS_FRAGMENT_S: '1' }, { log: captured.log });
}, 20000);

afterAll(async () => {
  for (const w of watchers) w.close();
  await killAll();
  await s?.stop(true);
});

const signOf = (url: string) => new URL(url.replace(/^rtmp:/, 'http:')).searchParams.get('sign')!;

async function watch(flvUrl: string): Promise<FlvWatcher> {
  const w = await FlvWatcher.open(flvUrl);
  watchers.push(w);
  expect(w.status).toBe(200);
  return w;
}

/**
 * Publishes to `url`; ffmpeg must be turned away (non-zero exit) within 8 s. Refused publishers send 160x120, so
 * anything of theirs at a viewer would show next to the 320x240 of the valid publishers.
 */
async function refusedPublish(url: string): Promise<void> {
  const pub = publish(url, { gop: 50, size: '160x120' });
  const exit = await within(pub.exited, 8000);
  expect(exit).not.toBeNull();
  expect(exit!.code).not.toBe(0);
}

/** The refusal log lines (warn, with roomId and reason) written for `roomId` since line `from`. */
function refusals(roomId: string, from: number): Array<Record<string, unknown>> {
  return logEntries(captured.lines.slice(from)).filter((e) => e.roomId === roomId && e.msg === 'publish refused');
}

test('no, tampered, play and other-room signatures: refused with the reason logged; the idle room\'s viewer gets no media', async () => {
  const a = await createRoom(s.url, 'target');
  const b = await createRoom(s.url, 'other', 'host-b');
  const playA = await playUrls(s.url, a.room.id);
  const sign = signOf(a.push.url);
  const tampered = (sign[0] === 'A' ? 'B' : 'A') + sign.slice(1);
  for (const u of [a.push.url, b.push.url, playA.rtmp]) signatures.add(signOf(u));
  signatures.add(tampered);
  const viewer = await watch(playA.flv);

  const cases: Array<[string, string, string]> = [
    ['no signature', `${s.rtmpUrl}/${a.room.id}`, 'malformed'],
    ['tampered signature', a.push.url.replace(sign, tampered), 'bad_signature'],
    ['play signature', `${s.rtmpUrl}/${a.room.id}?${new URL(playA.flv).search.slice(1)}`, 'wrong_action'],
    ['signature of another room', `${s.rtmpUrl}/${a.room.id}?${b.push.streamKey.split('?')[1]}`, 'bad_signature'],
  ];
  for (const [what, url, reason] of cases) {
    const from = captured.lines.length;
    await refusedPublish(url);
    const lines = refusals(a.room.id, from);
    expect([what, lines.map((e) => e.reason)]).toEqual([what, [reason]]);
    expect(lines[0]!.level).toBe(40); // warn: an operator sees it at the default level
  }
  expect(viewer.ended).toBe(false);
  expect((await getRoom(s.url, a.room.id)).status).toBe('idle');
  expect(existsSync(join(s.dataDir, 'hls', a.room.id))).toBe(false);
  // then the host publishes for real: anything a refused publisher got through would have reached the viewer first
  const real = publish(a.push.url, { gop: 50 });
  await until(() => viewer.media().some((t) => t.type === 9 && t.body[1] === 1), 10000, "the real publisher's first frame");
  expect(publishersSeen(viewer)).toEqual({ headers: 1, widths: [320], avcConfigs: 1 });
  expect(viewer.media()[0]!.body[1]).toBe(0); // the stream starts at a sequence header: the real publisher's
  await real.stop();

  const metrics = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.config.secrets.adminToken}` } })).text();
  expect(metricValue(metrics, 'wxlive_publish_refusals_total{reason="bad_signature"}')).toBe(2);
  expect(metricValue(metrics, 'wxlive_publish_refusals_total{reason="malformed"}')).toBe(1);
  expect(metricValue(metrics, 'wxlive_publish_refusals_total{reason="wrong_action"}')).toBe(1);
}, 45000);

test('an ended room refuses its own push URL: reason logged, the room stays ended, nothing recorded', async () => {
  const c = await createRoom(s.url, 'ended');
  signatures.add(signOf(c.push.url));
  const play = await playUrls(s.url, c.room.id);
  signatures.add(signOf(play.flv));
  expect((await call(s.url, 'POST', `/api/rooms/${c.room.id}/end`, { token: c.token })).status).toBe(200);
  const from = captured.lines.length;
  await refusedPublish(c.push.url);
  expect(refusals(c.room.id, from).map((e) => e.reason)).toEqual(['room_ended']);
  expect((await getRoom(s.url, c.room.id)).status).toBe('ended');
  // no viewer can attach to an ended room, and no HLS was written for it
  expect((await fetch(play.flv)).status).toBe(409);
  expect(existsSync(join(s.dataDir, 'hls', c.room.id))).toBe(false);
}, 20000);

test('a second publisher while the first is live: refused and logged; the viewer sees only the first', async () => {
  const d = await createRoom(s.url, 'busy');
  signatures.add(signOf(d.push.url));
  const play = await playUrls(s.url, d.room.id);
  const first = publish(d.push.url, { gop: 50 });
  await untilStatus(s.url, d.room.id, 'live', 5000);
  const viewer = await watch(play.flv);
  await until(() => viewer.media().length > 10, 5000, 'media from the first publisher');

  const from = captured.lines.length;
  // a different picture size, so anything of it in the viewer's stream would show
  const second = publish(d.push.url, { gop: 50, size: '160x120' });
  const exit = await within(second.exited, 8000);
  expect(exit?.code).not.toBe(0);
  const lines = refusals(d.room.id, from);
  expect(lines.map((e) => [e.reason, e.level])).toEqual([['already_publishing', 40]]);

  const before = viewer.bytes;
  await until(() => viewer.bytes > before + 20_000, 5000, 'the first stream to keep flowing');
  expect(first.proc.exitCode).toBeNull();
  expect(viewer.headers).toBe(1); // a new publish on the hub would start a new FLV header
  const seqHeaders = viewer.tags.filter((t) => t.type === 9 && t.body[1] === 0).map((t) => t.body.toString('hex'));
  expect(new Set(seqHeaders).size).toBe(1);
  expect(publishersSeen(viewer)).toMatchObject({ headers: 1, widths: [320] });
  const stats = await call(s.url, 'GET', '/api/admin/stats', { token: s.config.secrets.adminToken });
  const stream = (stats.body.streams as Array<{ roomId: string; video: { width: number } }>).find((x) => x.roomId === d.room.id)!;
  expect(stream.video.width).toBe(320);
  const metrics = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.config.secrets.adminToken}` } })).text();
  expect(metricValue(metrics, 'wxlive_publish_refusals_total{reason="already_publishing"}')).toBe(1);
}, 30000);

test('no log line carries a signature, the signing secret or the admin token', () => {
  expect(signatures.size).toBeGreaterThanOrEqual(7);
  const secrets = [...signatures, s.config.secrets.signingSecret, s.config.secrets.adminToken];
  const leaks = captured.lines.filter((l) => secrets.some((x) => l.includes(x)));
  expect(leaks).toEqual([]);
  expect(captured.lines.length).toBeGreaterThan(20);
});
