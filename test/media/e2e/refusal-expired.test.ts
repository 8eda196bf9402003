// Issue 3 end to end: an expired push signature is refused, logged as expired without the signature, and nothing
// reaches the room's FLV viewer. The expired URL is the room's current ticket (its generation) signed with an expiry
// in the past: with a short PUSH_TTL_S the idle room itself would expire with its ticket (issue 10).
import { signMedia, toQuery } from '../../../server/signing/media-signature';
import { killAll, publish } from '../../helpers/ffmpeg';
import { createRoom } from '../../helpers/http';
import { capturingLogger, startTestServer, type TestServer } from '../../helpers/test-server';
import { FlvWatcher, getRoom, logEntries, playUrls, publishersSeen, until, within } from './e2e-kit';

let s: TestServer;
const captured = capturingLogger();
let viewer: FlvWatcher | undefined;

beforeAll(async () => {
  s = await startTestServer({}, { log: captured.log });
}, 20000);

afterAll(async () => {
  viewer?.close();
  await killAll();
  await s?.stop(true);
});

test('an expired push URL is refused and logged as expired; the viewer gets nothing', async () => {
  const { room, push } = await createRoom(s.url, 'short ttl');
  const play = await playUrls(s.url, room.id);
  viewer = await FlvWatcher.open(play.flv);
  expect(viewer.status).toBe(200);
  const gen = Number(new URL(push.url.replace(/^rtmp:/, 'http:')).searchParams.get('gen'));
  const expired = `${s.rtmpUrl}/${room.id}?${toQuery(signMedia(s.config.secrets.signingSecret, 'publish', room.id, Math.floor(Date.now() / 1000) - 1, gen))}`;

  // 160x120: anything of it at the viewer would show next to the 320x240 of the valid publish below
  const pub = publish(expired, { gop: 50, size: '160x120' });
  const exit = await within(pub.exited, 8000);
  expect(exit?.code).not.toBe(0);
  const refusals = logEntries(captured.lines).filter((e) => e.msg === 'publish refused' && e.roomId === room.id);
  expect(refusals.map((e) => e.reason)).toEqual(['expired']);
  expect((await getRoom(s.url, room.id)).status).toBe('idle');
  // then the valid ticket publishes; whatever the refused one got through would have reached the viewer before its first frame
  const real = publish(push.url, { gop: 50 });
  await until(() => viewer!.media().some((t) => t.type === 9 && t.body[1] === 1), 10000, "the valid publisher's first frame");
  expect(publishersSeen(viewer)).toEqual({ headers: 1, widths: [320], avcConfigs: 1 });
  expect(viewer.media()[0]!.body[1]).toBe(0); // the stream starts at the valid publisher's sequence header
  await real.stop();
  const sign = new URL(expired.replace(/^rtmp:/, 'http:')).searchParams.get('sign')!;
  expect(captured.lines.filter((l) => l.includes(sign) || l.includes(s.config.secrets.signingSecret))).toEqual([]);
}, 30000);
