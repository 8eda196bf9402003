// Abuse of /vod/<id>/file (issue 14): clients that open downloads and never read them hold a file handle and a
// socket each; one address gets at most 8 at once (the 9th is 429 vod_files_per_address with Retry-After), and a
// slot is free again once its client goes.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { call } from '../helpers/http';
import { RawSocket } from '../helpers/raw-socket';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until } from '../helpers/wait';

jest.setTimeout(120_000);
let s: TestServer;
beforeAll(async () => { s = await startTestServer({ VOD_SCAN_S: '1' }); });
afterAll(async () => { await s.stop(true); });

test('9th unread download from one address → 429; freed when a client leaves', async () => {
  // ~28 MB (lossless noise): far more than the socket buffers hold, so an unread download stays open
  await promisify(execFile)('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=25,noise=alls=60:allf=t',
    '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', join(s.dataDir, 'vod', 'big.mp4')]);
  let id = '';
  await until(async () => {
    const v = (await call(s.url, 'GET', '/api/videos')).body.videos.find((x: { name: string }) => x.name === 'big.mp4');
    id = v?.id ?? '';
    return id !== '';
  }, 20_000, 'big.mp4 listed');
  const held: RawSocket[] = [];
  for (let i = 0; i < 8; i++) {
    const r = await RawSocket.get(s.httpPort, `/vod/${id}/file`);
    await until(() => r.status !== null, 5000, 'the response head');
    expect(r.status).toBe(200);
    r.pause(); // and read no more
    held.push(r);
  }
  const refused = await fetch(`${s.url}/vod/${id}/file`, { headers: { range: 'bytes=0-9' } });
  expect(refused.status).toBe(429);
  expect(((await refused.json()) as any).error.code).toBe('vod_files_per_address');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  held[0]!.close();
  await until(async () => (await fetch(`${s.url}/vod/${id}/file`, { headers: { range: 'bytes=0-9' } })).status === 206, 5000, 'a slot freed');
  for (const r of held) r.close();
});
