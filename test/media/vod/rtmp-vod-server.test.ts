// RTMP VOD on a real server (issue 14 item 2): the library's play URL (`rtmp://…/vod/<name>`) plays with ffprobe
// and rtmpdump; a private video's URL is signed and the unsigned one refused; a file dropped into DATA_DIR/vod plays.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffprobeDuration, fixture } from '../../vod/media-fixtures';
import { call } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { until } from '../../helpers/wait';
import { flvTags, probeDuration, rtmpdumpFile } from './vod-fixture';

jest.setTimeout(90_000);
let s: TestServer;
let admin: string;

beforeAll(async () => {
  s = await startTestServer({ VOD_SCAN_S: '1', DISK_MIN_FREE_MB: '0' });
  admin = s.config.secrets.adminToken;
});
afterAll(async () => { await s.stop(true); });

const put = async (name: string, file: string) => {
  const r = await fetch(`${s.url}/api/admin/videos/${name}`, {
    method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(readFileSync(file)),
  });
  expect(r.status).toBe(201);
  return ((await r.json()) as { video: { id: string } }).video.id;
};
const playRtmp = async (id: string) => (await call(s.url, 'GET', `/api/videos/${id}/play`, { token: admin })).body.play.rtmp as string;

test('an uploaded MP4 plays from its play URL; made private, the URL is signed and the bare one refused', async () => {
  const file = await fixture(s.dataDir, 'good.mp4');
  const id = await put('lib.mp4', file);
  const url = await playRtmp(id);
  const probe = await probeDuration(url);
  expect(probe.codecs).toEqual(['aac', 'h264']);
  expect(Math.abs(probe.duration - (await ffprobeDuration(file)))).toBeLessThan(0.5);

  expect((await call(s.url, 'PATCH', `/api/admin/videos/${id}`, { token: admin, body: { public: false } })).status).toBe(200);
  const signed = await playRtmp(id);
  expect(signed).toMatch(/\?.*sign=/);
  const out = join(s.dataDir, 'private.flv');
  expect((await rtmpdumpFile(url, out, ['--stop', '1'])).code).toBe(1);
  await rtmpdumpFile(signed, out, ['--stop', '1']);
  expect((await flvTags(out)).filter((t) => t.type === 9).length).toBeGreaterThan(5);
});

test('a file dropped into DATA_DIR/vod plays once the library has picked it up', async () => {
  copyFileSync(await fixture(s.dataDir, 'good.flv'), join(s.dataDir, 'vod', 'dropped.flv'));
  await until(async () => (await call(s.url, 'GET', '/api/videos?limit=100')).body.videos.some((v: { name: string }) => v.name === 'dropped.flv'),
    15000, 'dropped file listed');
  const id = (await call(s.url, 'GET', '/api/videos?limit=100')).body.videos.find((v: { name: string }) => v.name === 'dropped.flv').id;
  const probe = await probeDuration(await playRtmp(id));
  expect(probe.codecs).toEqual(['aac', 'h264']);
});
