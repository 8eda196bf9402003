// Video upload limits on a real server (issue 14): a full disk (a real small tmpfs, filled) → 507 with nothing
// kept; a stalled upload is cut off after VOD_UPLOAD_IDLE_S with its part file removed; uploads per address per
// minute → 429 with Retry-After.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyDisk, fillDisk, mountSmallDisk, unmountSmallDisk } from '../media/hls-output/small-disk';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until } from '../helpers/wait';
import { fixture } from '../vod/media-fixtures';

jest.setTimeout(120_000);
const MB = 1024 * 1024;
let s: TestServer;
let dataDir: string;
let mounted = false;
let media: string;

beforeAll(async () => {
  media = mkdtempSync(join(tmpdir(), 'wxlive-vodlim-media-'));
  dataDir = mkdtempSync(join(tmpdir(), 'wxlive-vodlim-'));
  mounted = mountSmallDisk(dataDir, 24);
  s = await startTestServer({ DATA_DIR: dataDir, DISK_MIN_FREE_MB: '4', VOD_UPLOADS_PER_MIN: '3', VOD_UPLOAD_IDLE_S: '1' });
});
afterAll(async () => {
  await s.stop();
  if (mounted) unmountSmallDisk(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(media, { recursive: true, force: true });
});

const put = async (name: string, body: Buffer) => {
  const r = await fetch(`${s.url}/api/admin/videos/${name}`, {
    method: 'PUT', headers: { authorization: `Bearer ${s.config.secrets.adminToken}` }, body: new Uint8Array(body),
  });
  return { status: r.status, headers: r.headers, body: await r.json() as any };
};
const uploads = () => readdirSync(join(dataDir, 'vod', '.uploads'));

test('disk below DISK_MIN_FREE_MB → 507 storage_full, nothing kept; with room again → 201', async () => {
  if (!mounted) return console.warn('cannot mount a tmpfs here: 507 test skipped'); // eslint-disable-line no-console
  const file = readFileSync(await fixture(media, 'good.mp4'));
  const filler = fillDisk(dataDir, 3 * MB);
  try {
    const full = await put('full.mp4', file);
    expect([full.status, full.body.error.code]).toEqual([507, 'storage_full']);
    expect(existsSync(join(dataDir, 'vod', 'full.mp4'))).toBe(false);
    expect(uploads()).toEqual([]);
  } finally {
    emptyDisk(filler);
  }
  expect((await put('full.mp4', file)).status).toBe(201);
});

test('a stalled upload is cut off after VOD_UPLOAD_IDLE_S: 400 upload_timeout, part file removed', async () => {
  const { hostname, port } = new URL(s.url);
  const started = Date.now();
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method: 'PUT', path: '/api/admin/videos/slow.mp4',
      headers: { authorization: `Bearer ${s.config.secrets.adminToken}`, 'content-length': '100000' } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.write(Buffer.alloc(1000, 1)); // then nothing
  });
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.body).error.code).toBe('upload_timeout');
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  await until(() => uploads().length === 0, 5000, 'the part file removed');
  expect(existsSync(join(dataDir, 'vod', 'slow.mp4'))).toBe(false);
});

test('over VOD_UPLOADS_PER_MIN from one address → 429 vod_upload_rate with Retry-After', async () => {
  const file = readFileSync(await fixture(media, 'good.flv'));
  let last = await put('rate-0.flv', file);
  for (let i = 1; i < 5 && last.status !== 429; i++) last = await put(`rate-${i}.flv`, file);
  expect([last.status, last.body.error.code]).toEqual([429, 'vod_upload_rate']);
  expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
});
