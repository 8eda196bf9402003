// DiskBacklog: the publisher is held from 4 MiB of finished segments waiting for the disk and let go under
// 1 MiB; at 8 segments or 32 MiB waiting a new one is refused (the recording pauses); drop() gives up the waiting
// segments from an index on, discarding their temp files.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskBacklog } from '../../../server/media/hls-output/disk-backlog';
import { recorderFs } from '../../../server/media/hls-output/recorder-fs';
import { SegmentFile } from '../../../server/media/hls-output/segment-file';
import { WriteQueue } from '../../../server/media/hls-output/write-queue';

const MIB = 1024 * 1024;
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'wxlive-backlog-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const queue = new WriteQueue((err) => { throw err; });
const file = (i: number) => new SegmentFile(i, join(dir, `${i}.ts`), queue, recorderFs);

test('held from 4 MiB waiting, let go under 1 MiB, told once per change', () => {
  const told: boolean[] = [];
  const b = new DiskBacklog((hold) => told.push(hold));
  b.add(0, file(0), 2 * MIB);
  b.add(1, file(1), 2 * MIB - 1);
  expect(told).toEqual([]);
  b.add(2, file(2), 1);
  expect(told).toEqual([true]);
  b.add(3, file(3), MIB);
  b.landed(0);
  b.landed(1);
  expect(told).toEqual([true]); // 1 MiB + 1 byte still waits
  b.landed(2);
  expect(told).toEqual([true, false]);
});

test('refused at 8 segments or 32 MiB waiting', () => {
  const b = new DiskBacklog();
  for (let i = 0; i < 7; i++) b.add(i, file(i), 1000);
  expect(b.refusal(1000)).toBeNull();
  b.add(7, file(7), 1000);
  expect(b.refusal(1000)).toMatch(/too slow: 8 segments/);
  b.landed(0);
  expect([b.refusal(1000), b.refusal(32 * MIB)]).toEqual([null, expect.stringMatching(/too slow/)]);
});

test('drop() gives up the waiting segments from an index on and removes what they wrote', async () => {
  const told: boolean[] = [];
  const b = new DiskBacklog((hold) => told.push(hold));
  const files = [10, 11, 12].map(file);
  files.forEach((f, i) => { f.append(Buffer.alloc(10, i)); b.add(10 + i, f, 2 * MIB); });
  await queue.settled();
  expect(readdirSync(dir).filter((f) => /^1[012]\.ts\..*\.tmp$/.test(f))).toHaveLength(3);
  expect(b.drop(11)).toEqual([11, 12]);
  expect(told).toEqual([true]); // 2 MiB still wait: over the 1 MiB release mark
  await queue.settled();
  expect(readdirSync(dir).filter((f) => /^1[012]\.ts\..*\.tmp$/.test(f)).map((f) => f.slice(0, 2))).toEqual(['10']);
  expect(b.drop(-Infinity)).toEqual([10]);
  expect(told).toEqual([true, false]);
  await queue.settled();
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual(expect.not.arrayContaining([expect.stringMatching(/^10\./)]));
  expect(existsSync(join(dir, '10.ts'))).toBe(false);
}, 10_000);
