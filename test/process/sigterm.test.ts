// SIGTERM while a room is live with an HTTP-FLV viewer and an HLS keep-alive client: the process exits 0 within
// 5 s, both clients are disconnected, and the segment in progress is on disk, complete and listed in the replay.
import { get, Agent, type IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlayUrls } from '../../typings/api';
import { ffprobeJson, killAll as killTools } from '../helpers/ffmpeg';
import { call, createRoom } from '../helpers/http';
import { publishLive, untilSegments } from '../helpers/live';
import { until } from '../helpers/wait';
import { bootServer, exitWithin, killAll } from './spawn-server';

jest.setTimeout(60_000);

let dataDir: string;
beforeAll(() => { dataDir = mkdtempSync(join(tmpdir(), 'wxlive-sigterm-')); });
afterAll(async () => {
  killAll();
  await killTools();
  rmSync(dataDir, { recursive: true, force: true });
});

/** a GET whose response and socket are watched: `closed` once the server has dropped the connection */
interface Watched { res: IncomingMessage; closed(): boolean; ended(): boolean; bytes(): number }
function watch(url: string, agent?: Agent): Promise<Watched> {
  return new Promise((resolve, reject) => {
    let closed = false;
    let ended = false;
    let bytes = 0;
    const req = get(url, { agent }, (res) => {
      res.on('data', (b: Buffer) => { bytes += b.length; });
      res.on('end', () => { ended = true; });
      res.on('error', () => undefined); // an aborted body is what the FLV viewer gets
      resolve({ res, closed: () => closed, ended: () => ended, bytes: () => bytes });
    });
    req.on('socket', (s) => s.once('close', () => { closed = true; }));
    req.on('error', reject);
  });
}

/** `<n>.ts` → EXTINF seconds, as the VOD playlist on disk lists them */
function listed(folder: string): Map<string, number> {
  const lines = readFileSync(join(folder, 'index.m3u8'), 'utf8').split('\n');
  const out = new Map<string, number>();
  lines.forEach((l, i) => {
    if (l.startsWith('#EXTINF:')) out.set(lines[i + 1]!.trim(), parseFloat(l.slice(8)));
  });
  return out;
}

test('SIGTERM finishes the open segment, disconnects FLV and keep-alive clients and exits 0 within 5 s', async () => {
  const { proc, base } = await bootServer({ DATA_DIR: dataDir, HLS_FRAGMENT_S: '2' });
  const { room, token, push } = await createRoom(base, 'stopped by a supervisor', 'sigterm-host');
  const pub = await publishLive(base, room.id, push.url);
  const play = (await call<{ play: PlayUrls }>(base, 'GET', `/api/rooms/${room.id}/play`, { token })).body.play;
  await untilSegments(play.hls, 2, 20_000);

  const flv = await watch(play.flv);
  await until(() => flv.bytes() > 0, 10_000, 'FLV media bytes');
  const agent = new Agent({ keepAlive: true });
  const hls = await watch(play.hls, agent);
  await until(() => hls.ended(), 5000, 'the playlist response'); // finished, its socket kept alive for the next poll
  expect(hls.closed()).toBe(false);

  const [broadcastId] = readdirSync(join(dataDir, 'hls', room.id));
  const folder = join(dataDir, 'hls', room.id, broadcastId!);
  await until(() => flv.bytes() > 0 && listed(folder).size >= 2, 10_000, 'two segments in the VOD playlist');
  const before = listed(folder);

  const sentAt = Date.now();
  proc.child.kill('SIGTERM');
  expect(await exitWithin(proc, 5000)).toBe(0);
  expect(Date.now() - sentAt).toBeLessThan(5000);
  await until(() => flv.closed() && hls.closed(), 2000, 'both client connections closed');
  agent.destroy();
  await pub.stop(500);

  // the segment in progress at SIGTERM was cut and listed: a new last entry, and every .ts on disk is listed
  const after = listed(folder);
  const files = readdirSync(folder);
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.ts')).sort()).toEqual([...after.keys()].sort());
  const last = [...after.keys()].pop()!;
  expect(before.has(last)).toBe(false);
  // complete: the file holds as much media as its EXTINF says
  const probed = await ffprobeJson(join(folder, last));
  expect(Math.abs(Number(probed.format?.duration) - after.get(last)!)).toBeLessThan(0.3);
  // the room stays live for a restart within the grace: its replay is not closed
  expect(readFileSync(join(folder, 'index.m3u8'), 'utf8')).not.toContain('#EXT-X-ENDLIST');

  // restarted within the grace, the host publishes again: the same broadcast goes on, numbered after the last segment
  const again = await bootServer({ DATA_DIR: dataDir, HLS_FRAGMENT_S: '2' });
  try {
    const fresh = await call<{ push: { url: string } }>(again.base, 'POST', `/api/rooms/${room.id}/push`, { token });
    const pub2 = await publishLive(again.base, room.id, fresh.body.push.url);
    const lastIndex = Number(last.split('.')[0]);
    await until(() => [...listed(folder).keys()].some((f) => Number(f.split('.')[0]) > lastIndex), 15_000, 'new segments in the same replay');
    await pub2.stop(500);
    expect(readdirSync(join(dataDir, 'hls', room.id))).toEqual([broadcastId]);
    expect([...listed(folder).keys()].slice(0, after.size)).toEqual([...after.keys()]);
  } finally {
    await again.proc.stop();
  }
});
