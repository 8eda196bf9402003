// The VOD players' shared file blocks: one disk read per block however many players read it, views within a
// block, copies across blocks, short reads at the end of the file, and the byte bound.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockCache } from '../../../server/media/vod/block-cache';

let dir: string;
let path: string;
const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-blocks-'));
  path = join(dir, 'f.bin');
  writeFileSync(path, data);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** a real handle whose reads are counted */
async function counted(): Promise<{ fh: FileHandle; reads: () => number }> {
  const fh = await open(path, 'r');
  let n = 0;
  const read = fh.read.bind(fh) as (...a: unknown[]) => Promise<unknown>;
  (fh as unknown as { read: unknown }).read = (...a: unknown[]) => { n++; return read(...a); };
  return { fh, reads: () => n };
}

test('players of one file share each block: one disk read, views of one buffer', async () => {
  const cache = new BlockCache(10_000, 100);
  const read = cache.file();
  const p1 = await counted();
  const p2 = await counted();
  const [a, b] = await Promise.all([read(p1.fh, 10, 20), read(p2.fh, 30, 20)]); // at once: one read in flight
  const c = await read(p2.fh, 50, 10);
  expect([...a]).toEqual([...data.subarray(10, 30)]);
  expect([...b]).toEqual([...data.subarray(30, 50)]);
  expect([...c]).toEqual([...data.subarray(50, 60)]);
  expect(p1.reads() + p2.reads()).toBe(1);
  expect(a.buffer).toBe(c.buffer); // views, not copies
  await p1.fh.close();
  await p2.fh.close();
});

test('a read across blocks is one copy of the right bytes; the end of the file gives fewer bytes', async () => {
  const read = new BlockCache(10_000, 100).file();
  const fh = await open(path, 'r');
  expect([...(await read(fh, 90, 230))]).toEqual([...data.subarray(90, 320)]);
  expect((await read(fh, 980, 50)).length).toBe(20);
  expect((await read(fh, 2000, 10)).length).toBe(0);
  await fh.close();
});

test('the cache holds at most its byte bound; another file version has its own blocks', async () => {
  const cache = new BlockCache(300, 100);
  const read = cache.file();
  const fh = await open(path, 'r');
  for (let off = 0; off < 1000; off += 100) await read(fh, off, 100);
  expect(cache.size).toBe(300);
  const other = cache.file();
  const { fh: fh2, reads } = await counted();
  await other(fh2, 900, 10); // block 9 is cached for the first version only
  expect(reads()).toBe(1);
  await fh.close();
  await fh2.close();
});
