// Issue 3 end to end: audio-only and video-only publishes produce playable HLS (each segment one stream of the
// right kind, passing the same checks as audio+video).
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, publish } from '../../helpers/ffmpeg';
import { createRoom } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { checkPlaylist, playUrls, until, untilStatus } from './e2e-kit';

let s: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'wxlive-e2e-single-'));

beforeAll(async () => {
  s = await startTestServer({ HLS_FRAGMENT_S: '1' });
}, 20000);

afterAll(async () => {
  await killAll();
  await s?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const CASES = [
  { name: 'audio-only', opts: { video: false }, kind: 'audio', codec: 'aac' },
  { name: 'video-only', opts: { audio: false, gop: 25 }, kind: 'video', codec: 'h264' },
];

test.each(CASES)('$name: the live playlist lists segments with one $kind stream each', async ({ name, opts, kind, codec }) => {
  const { room, push } = await createRoom(s.url, name);
  const pub = publish(push.url, opts);
  await untilStatus(s.url, room.id, 'live', 5000);
  const play = await playUrls(s.url, room.id);
  let text = '';
  await until(async () => {
    const res = await fetch(play.hls);
    text = res.status === 200 ? await res.text() : '';
    return (text.match(/^#EXTINF/gm) ?? []).length >= 3;
  }, 10000, 'three segments');
  const sub = join(dir, name);
  mkdirSync(sub);
  const { probes, problems } = await checkPlaylist(play.hls, text, sub, [kind]);
  expect(problems).toEqual([]);
  expect(probes.length).toBeGreaterThanOrEqual(3);
  for (const p of probes) expect(p.streams.map((x) => [x.codec_type, x.codec_name])).toEqual([[kind, codec]]);
  expect(pub.proc.exitCode).toBeNull();
  await pub.stop();
}, 25000);
