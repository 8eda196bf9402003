// kill -9 mid-broadcast, restart on the same DATA_DIR with a short grace: once the room ends (its publisher never
// came back), the replay is a finished recording that plays to its end, and no temp file of the dead process is left.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlayUrls, Room } from '../../typings/api';
import { ffprobeJson, killAll as killTools, record } from '../helpers/ffmpeg';
import { call, createRoom } from '../helpers/http';
import { fetchFinishedReplay, publishLive, untilSegments } from '../helpers/live';
import { until } from '../helpers/wait';
import { bootServer, killAll } from './spawn-server';

jest.setTimeout(60_000);

let dataDir: string;
beforeAll(() => { dataDir = mkdtempSync(join(tmpdir(), 'wxlive-crash-')); });
afterAll(async () => {
  killAll();
  await killTools();
  rmSync(dataDir, { recursive: true, force: true });
});

const ENV = { HLS_FRAGMENT_S: '1', RECONNECT_GRACE_S: '2' };

/** every file under `dir`, as paths relative to it */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

test('after kill -9 and a restart the room ends after the grace and its replay is closed, whole and playable', async () => {
  const one = await bootServer({ DATA_DIR: dataDir, ...ENV });
  const { room, token, push } = await createRoom(one.base, 'crashes mid-broadcast', 'crash-host');
  const pub = await publishLive(one.base, room.id, push.url);
  const play = (await call<{ play: PlayUrls }>(one.base, 'GET', `/api/rooms/${room.id}/play`, { token })).body.play;
  await untilSegments(play.hls, 4, 20_000);
  await new Promise((r) => setTimeout(r, 1500)); // mid-segment, mid-write: the kill lands while the recorder works
  const dead = one.proc.child.pid!;
  one.proc.child.kill('SIGKILL');
  expect(await one.proc.exited).toBe('SIGKILL');
  await pub.stop(500);

  const [broadcastId] = readdirSync(join(dataDir, 'hls', room.id));
  const folder = join(dataDir, 'hls', room.id, broadcastId!);
  // what a kill during a segment write leaves behind (the recorder's temp names: <file>.<pid>.<seq>.tmp)
  writeFileSync(join(folder, `99.ts.${dead}.x.tmp`), Buffer.alloc(188 * 10, 0x47));
  expect(walk(folder).filter((f) => f.endsWith('.tmp')).length).toBeGreaterThan(0);

  const two = await bootServer({ DATA_DIR: dataDir, ...ENV });
  try {
    await until(async () => {
      const r = await call<{ room: Room }>(two.base, 'GET', `/api/rooms/${room.id}`);
      return r.body.room.status === 'ended';
    }, 15_000, 'the room to end after the grace', 200);
    const ended = await call(two.base, 'GET', `/api/rooms/${room.id}/play`);
    const replay = `${two.base}/replay/${room.id}/${broadcastId}/index.m3u8`;
    expect(ended.body.error).toMatchObject({ code: 'room_ended', replay });

    const list = await fetchFinishedReplay(replay); // ENDLIST, VOD, every listed segment served as MPEG-TS
    expect(list.segments.length).toBeGreaterThanOrEqual(4);
    const listedS = list.segments.reduce((t, s) => t + s.duration, 0);
    // a player reads it through to its end: ffmpeg copies the whole replay (it stops at ENDLIST), then the copy is probed
    const copy = join(dataDir, 'replay-copy.ts');
    const player = record(replay, copy, 600);
    expect((await player.exited).code).toBe(0);
    const probed = await ffprobeJson(copy);
    rmSync(copy);
    expect(Math.abs(Number(probed.format?.duration) - listedS)).toBeLessThan(1.5);
    expect(probed.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    await until(() => walk(dataDir).every((f) => !f.endsWith('.tmp')), 5000, 'no *.tmp under DATA_DIR');
  } finally {
    await two.proc.stop();
  }
});
