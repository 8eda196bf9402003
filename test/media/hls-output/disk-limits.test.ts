// Disk limits of HLS recording (issue 10 row 6): DiskBudget counts the segments on disk per broadcast, room and
// in total and refuses by quota or free-space watermark; HlsRecorder ends a recording that reaches a limit with
// ENDLIST (never more on disk than the quota), and after a real ENOSPC (a small tmpfs, when root) pauses and
// starts again at a keyframe once there is room, after a discontinuity and with no gap in the numbering.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { HlsPipeline } from '../../../server/media/hls';
import { DiskBudget, statfsFreeBytes, type DiskBudgetOptions, type DiskRefusal } from '../../../server/media/hls-output/disk-budget';
import { HlsRecorder, type HlsRecorderOptions } from '../../../server/media/hls-output/hls-recorder';
import { LIVE_PLAYLIST, VOD_PLAYLIST } from '../../../server/media/hls-output/hls-paths';
import { capturingLogger } from '../../helpers/test-server';
import { splitFlv } from '../hls/helpers/flv-file';
import { encodeOnce, encodeRateCappedFlv, ffprobe } from '../hls/helpers/media-tools';
import { emptyDisk, fillDisk, mountSmallDisk, unmountSmallDisk } from './small-disk';

const KB = 1024;
const MB = 1024 * 1024;
const ROOM = 'roomAAAAAAAA';
const BCAST = 'bcast00001';
let dir: string;
let tags: Buffer[];
/** constant quality, 1 s GOP: every keyframe is well over a 64 KiB block */
let bigKeyTags: Buffer[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-disk-limits-'));
  const file = join(dir, 'in.flv');
  // 1.5 Mbps, 2 s GOP: segments 0–2, 2–4, 4–5 s of ~375 KB
  await encodeRateCappedFlv(file, { size: '640x360', videoKbps: 1500, noise: 20, seconds: 5 });
  tags = splitFlv(readFileSync(file));
  const big = join(dir, 'big-keys.flv');
  await encodeOnce(['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=44100',
    '-vf', 'noise=alls=30:allf=t', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '20', '-g', '25', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-t', '3', '-f', 'flv', big]);
  bigKeyTags = splitFlv(readFileSync(big));
}, 60000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tagMs = (t: Buffer): number => (t.length === 13 ? 0 : t.readUIntBE(4, 3) + t[7]! * 0x1000000);
const segmentsIn = (folder: string): string[] => readdirSync(folder).filter((f) => /^\d+\.ts$/.test(f)).sort((a, b) => parseInt(a) - parseInt(b));
const bytesIn = (folder: string): number => segmentsIn(folder).reduce((n, f) => n + statSync(join(folder, f)).size, 0);

function budget(root: string, o: Partial<DiskBudgetOptions> = {}): DiskBudget {
  return new DiskBudget({
    root, watched: [root], maxBroadcastBytes: 1e12, maxRoomBytes: 1e12, maxTotalBytes: 1e12, minFreeBytes: 0,
    freeBytes: () => 1e12, ...o,
  });
}

function recorder(out: string, o: Partial<HlsRecorderOptions> = {}): { rec: HlsRecorder; limits: DiskRefusal[] } {
  const limits: DiskRefusal[] = [];
  const rec = new HlsRecorder({
    dir: out, fragmentS: 1, playlistLengthS: 10, replay: true, log: pino({ level: 'silent' }), onLimit: (r) => limits.push(r), ...o,
  });
  return { rec, limits };
}

describe('DiskBudget', () => {
  test('counts only the segments on disk, per broadcast, room and in total; admit() refuses by watermark, total and room quota', async () => {
    const root = join(dir, 'count');
    const put = (room: string, bcast: string, file: string, bytes: number) => {
      mkdirSync(join(root, room, bcast), { recursive: true });
      writeFileSync(join(root, room, bcast, file), Buffer.alloc(bytes));
    };
    put(ROOM, BCAST, '0.ts', 300 * KB);
    put(ROOM, 'bcast00002', '7.ts', 200 * KB);
    put(ROOM, 'bcast00002', 'index.m3u8', 50 * KB); // playlists and temp files are not counted
    put(ROOM, 'bcast00002', '8.ts.123.a.tmp', 50 * KB);
    put('roomBBBBBBBB', BCAST, '0.ts', 100 * KB);
    put('not-a-room', BCAST, '0.ts', 100 * KB);
    let free = 10 * MB;
    const b = budget(root, { maxRoomBytes: 500 * KB, maxTotalBytes: 700 * KB, minFreeBytes: 5 * MB, freeBytes: () => free });
    await b.rescan();
    expect([b.used(ROOM, BCAST), b.used(ROOM), b.used('roomBBBBBBBB'), b.used()]).toEqual([300 * KB, 500 * KB, 100 * KB, 600 * KB]);
    expect([b.admit(ROOM), b.admit('roomBBBBBBBB')]).toEqual(['replay_quota_room', null]);
    b.forBroadcast('roomBBBBBBBB', BCAST).stored(100 * KB);
    expect(b.admit('roomBBBBBBBB')).toBe('replay_quota_total');
    b.forgetRoom(ROOM);
    expect([b.used(), b.admit('roomBBBBBBBB'), b.admit(ROOM)]).toEqual([200 * KB, null, null]);
    free = 5 * MB - 1;
    const fresh = budget(root, { minFreeBytes: 5 * MB, freeBytes: () => free });
    expect(fresh.admit(ROOM)).toBe('disk_low');
  });

  test('a room whose recording a quota stopped stays full a little under it, until a rescan or its deletion', async () => {
    const b = budget(join(dir, 'nothing-here'), { maxRoomBytes: MB, maxTotalBytes: 10 * MB });
    const w = b.forBroadcast(ROOM, BCAST);
    w.stored(MB - 100);
    expect(b.admit(ROOM)).toBeNull();
    expect(w.refusal(200, 200)).toBe('replay_quota_room'); // the recorder stops here
    expect([b.admit(ROOM), b.admit('roomBBBBBBBB')]).toEqual(['replay_quota_room', null]);
    b.forgetRoom(ROOM);
    expect(b.admit(ROOM)).toBeNull();
    const t = b.forBroadcast('roomBBBBBBBB', BCAST);
    t.stored(100);
    b.forBroadcast('roomCCCCCCCC', BCAST).stored(10 * MB - 200);
    expect(t.refusal(0, 300)).toBe('replay_quota_total');
    expect(b.admit('roomDDDDDDDD')).toBe('replay_quota_total');
    await b.rescan(); // an empty root: nothing is used any more
    expect(b.admit('roomDDDDDDDD')).toBeNull();
  });

  test('DISK_MIN_FREE_MB=0 is no watermark: only a failed write says the disk is full', () => {
    const b = budget(dir, { minFreeBytes: 0, freeBytes: () => 0 });
    expect([b.admit(ROOM), b.forBroadcast(ROOM, BCAST).refusal(64 * KB, 64 * KB)]).toEqual([null, null]);
  });

  test('free space is asked at most once a second, less what was written since', () => {
    let asked = 0;
    let now = 0;
    const b = budget(dir, { minFreeBytes: MB, freeBytes: () => { asked++; return 2 * MB; }, now: () => now });
    const w = b.forBroadcast(ROOM, BCAST);
    expect(w.refusal(MB, MB)).toBeNull();
    w.wrote(MB - 1);
    expect([w.refusal(1, 1), w.refusal(2, 2), asked]).toEqual([null, 'disk_low', 1]);
    now = 1000;
    expect([w.refusal(2, 2), asked]).toEqual([null, 2]);
  });

  test('free space read asynchronously (statfs): admit() answers from the last reading while the next is taken in the background', async () => {
    let free = 10 * MB;
    let asked = 0;
    let now = 0;
    const b = budget(dir, { minFreeBytes: 5 * MB, now: () => now, freeBytes: async () => { asked++; return free; } });
    expect(b.admit(ROOM)).toBeNull(); // the first reading is on its way: nothing refused meanwhile
    await b.rescan(); // what the plane awaits before it admits a publisher: a reading is in
    expect(asked).toBe(1); // (the one under way served the rescan)
    free = 4 * MB; // another process fills the disk
    now = 1000;
    expect([b.admit(ROOM), asked]).toEqual([null, 2]); // the last reading answers; the next one is asked
    await new Promise((resolve) => setImmediate(resolve));
    expect([b.admit(ROOM), b.forBroadcast(ROOM, BCAST).refusal(1, 1), asked]).toEqual(['disk_low', 'disk_low', 2]);
    free = 30 * MB; // room again, above the watermark and the 16 MiB resume margin
    expect(b.forBroadcast(ROOM, BCAST).spaceBack()).toBe(false); // asks now, answers from what it knows
    await new Promise((resolve) => setImmediate(resolve));
    expect([b.forBroadcast(ROOM, BCAST).spaceBack(), b.admit(ROOM), asked]).toEqual([true, null, 4]);
    expect(await statfsFreeBytes(dir)).toBeGreaterThan(0); // the real one
  });
});


describe('HlsRecorder under a quota or the watermark', () => {
  test('a broadcast quota ends the recording with ENDLIST and never more on disk than the quota', async () => {
    const root = join(dir, 'quota');
    const out = join(root, ROOM, BCAST);
    const b = budget(root, { maxBroadcastBytes: 600 * KB });
    const { rec, limits } = recorder(out, { budget: b.forBroadcast(ROOM, BCAST) });
    for (const t of tags) rec.onTag(t);
    await rec.settled(); // files are written off the event loop
    expect(limits).toEqual(['replay_quota_broadcast']);
    expect(rec.stopped).toBe(true);
    expect(segmentsIn(out)).toEqual(['0.ts']); // the second segment would pass 600 KB: dropped, not left half-written
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(bytesIn(out)).toBeLessThanOrEqual(600 * KB);
    expect(b.used(ROOM, BCAST)).toBe(bytesIn(out));
    for (const p of [LIVE_PLAYLIST, VOD_PLAYLIST]) expect(readFileSync(join(out, p), 'utf8')).toMatch(/0\.ts\n#EXT-X-ENDLIST\n$/);
    rec.end(); // the room ends later: nothing changes
    expect(limits).toHaveLength(1);
  });

  test('a quota reached by the next segment keeps the one just cut, even when a big keyframe spills the next one first', async () => {
    const bigKeyframes = bigKeyTags.filter((t) => t[0] === 9 && (t[11]! >> 4) === 1 && t.length > 70 * KB);
    expect(bigKeyframes.length).toBeGreaterThan(1); // so the next segment's first block fills before the cut one is stored
    const p = new HlsPipeline({ fragmentS: 1 });
    const seg0 = bigKeyTags.flatMap((t) => p.pushTag(t))[0]!;
    const root = join(dir, 'quota-edge');
    const out = join(root, ROOM, BCAST);
    const b = budget(root, { maxBroadcastBytes: seg0.bytes + 1 });
    const { rec, limits } = recorder(out, { budget: b.forBroadcast(ROOM, BCAST) });
    for (const t of bigKeyTags) rec.onTag(t);
    await rec.settled();
    expect([limits, segmentsIn(out), bytesIn(out)]).toEqual([['replay_quota_broadcast'], ['0.ts'], seg0.bytes]);
  });

  test('the room and total quotas count the other broadcasts', async () => {
    const root = join(dir, 'room-quota');
    mkdirSync(join(root, ROOM, 'bcast00000'), { recursive: true });
    writeFileSync(join(root, ROOM, 'bcast00000', '0.ts'), Buffer.alloc(500 * KB));
    for (const [o, reason] of [[{ maxRoomBytes: 1000 * KB }, 'replay_quota_room'], [{ maxTotalBytes: 1000 * KB }, 'replay_quota_total']] as const) {
      const out = join(root, ROOM, BCAST);
      rmSync(out, { recursive: true, force: true });
      const b = budget(root, o);
      await b.rescan();
      const { rec, limits } = recorder(out, { budget: b.forBroadcast(ROOM, BCAST) });
      for (const t of tags) rec.onTag(t);
      await rec.settled();
      expect([limits, segmentsIn(out)]).toEqual([[reason], ['0.ts']]);
    }
  });

  test('crossing the free-space watermark mid-broadcast ends the recording with ENDLIST', async () => {
    const root = join(dir, 'watermark');
    const out = join(root, ROOM, BCAST);
    let free = 100 * MB;
    const b = budget(root, { minFreeBytes: 10 * MB, freeBytes: () => free, now: (() => { let t = 0; return () => (t += 2000); })() });
    const { rec, limits } = recorder(out, { budget: b.forBroadcast(ROOM, BCAST) });
    for (const t of tags.filter((x) => tagMs(x) < 3000)) rec.onTag(t);
    await rec.settled();
    expect(segmentsIn(out)).toEqual(['0.ts']);
    free = 10 * MB + 10 * KB; // another process filled the disk
    for (const t of tags.filter((x) => tagMs(x) >= 3000)) rec.onTag(t);
    await rec.settled();
    expect([limits, segmentsIn(out)]).toEqual([['disk_low'], ['0.ts']]);
    expect(readFileSync(join(out, LIVE_PLAYLIST), 'utf8')).toMatch(/#EXT-X-ENDLIST\n$/);
  });
});

const root = process.getuid?.() === 0;
(root ? describe : describe.skip)('HlsRecorder on a full disk (a 4 MB tmpfs)', () => {
  let disk: string;
  let mounted = false;
  beforeAll(() => {
    disk = join(dir, 'tmpfs');
    mkdirSync(disk);
    mounted = mountSmallDisk(disk, 4);
  });
  afterAll(() => {
    if (mounted) unmountSmallDisk(disk);
  });

  test('ENOSPC pauses the recording; once there is room it starts again at a keyframe, after a discontinuity', async () => {
    if (!mounted) throw new Error('running as root but could not mount a tmpfs');
    const out = join(disk, ROOM, BCAST);
    const { log, lines } = capturingLogger();
    // no budget: only the file system says no (with one, the watermark check would stop it before the write)
    const { rec, limits } = recorder(out, { log, retryMs: 0 });
    for (const t of tags.filter((x) => tagMs(x) < 2500)) rec.onTag(t); // segment 0 (0–2 s) is stored
    await rec.settled();
    expect(segmentsIn(out)).toEqual(['0.ts']);
    const filler = fillDisk(disk, 50 * KB); // segment 1 (2–4 s, ~375 KB) cannot be written
    for (const t of tags.filter((x) => tagMs(x) >= 2500 && tagMs(x) < 3500)) rec.onTag(t);
    await rec.settled(); // the write fails on a later tick
    expect(lines.some((l) => l.includes('ENOSPC') && l.includes('write failed'))).toBe(true);
    emptyDisk(filler);
    for (const t of tags.filter((x) => tagMs(x) >= 3500)) rec.onTag(t); // the keyframe at 4 s starts recording again
    rec.end();
    await rec.settled();
    expect(limits).toEqual([]);
    expect(segmentsIn(out)).toEqual(['0.ts', '1.ts']); // 1.ts is the 4–5 s segment: no gap where 2–4 s was lost
    const vod = readFileSync(join(out, VOD_PLAYLIST), 'utf8');
    expect(vod).toMatch(/0\.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:1\.\d+,\n1\.ts\n#EXT-X-ENDLIST\n$/);
    const p = await ffprobe(join(out, '1.ts'));
    expect(p.packets.find((k) => k.codec_type === 'video')?.flags.startsWith('K')).toBe(true);
    expect(Number(p.packets.find((k) => k.codec_type === 'video')?.pts_time)).toBeGreaterThanOrEqual(4);
  });
});
