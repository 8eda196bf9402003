// TsBlocks: packets land back to back in pooled blocks; released blocks are reused, never twice at once.
import { TS_BLOCK_SIZE, TsBlocks, freeTsBlocks, releaseTsChunks } from '../../../server/media/hls/ts-blocks';

/** writes `n` packets whose every byte is the packet's number (mod 256) */
function writePackets(b: TsBlocks, n: number, from = 0): void {
  for (let i = 0; i < n; i++) {
    const off = b.reserve();
    b.block.fill((from + i) & 0xff, off, off + 188);
  }
}

test('take() returns every packet in order, across block boundaries, and starts afresh', () => {
  const b = new TsBlocks();
  const perBlock = TS_BLOCK_SIZE / 188;
  writePackets(b, perBlock + 3);
  const { chunks, bytes } = b.take();
  expect(bytes).toBe((perBlock + 3) * 188);
  expect(chunks.map((c) => c.length)).toEqual([TS_BLOCK_SIZE, 3 * 188]);
  const all = Buffer.concat(chunks);
  for (let i = 0; i < perBlock + 3; i++) expect(all[i * 188 + 100]).toBe(i & 0xff);
  expect(b.take()).toEqual({ chunks: [], bytes: 0 });
});

test('released blocks are reused by the next writer; a double release or a foreign buffer is ignored', () => {
  const a = new TsBlocks();
  writePackets(a, 2);
  const first = a.take().chunks;
  const before = freeTsBlocks();
  releaseTsChunks(first);
  releaseTsChunks(first); // twice: must not put the block in the free list twice
  releaseTsChunks([Buffer.allocUnsafeSlow(TS_BLOCK_SIZE)]); // not ours
  expect(freeTsBlocks()).toBe(before + 1);
  const b = new TsBlocks();
  writePackets(b, 1, 7);
  const again = b.take().chunks;
  expect(again[0]!.buffer).toBe(first[0]!.buffer); // the same memory, rewritten
  expect(again[0]![0]).toBe(7);
  expect(freeTsBlocks()).toBe(before);
  const c = new TsBlocks();
  writePackets(c, 1);
  expect(c.take().chunks[0]!.buffer).not.toBe(first[0]!.buffer); // still in use by `again`: not handed out
});

test('takeFull() hands over each full block; released, it is reused for the next packets; take() returns the rest and counts all', () => {
  const perBlock = TS_BLOCK_SIZE / 188;
  const spilled: Array<{ buffer: ArrayBufferLike; bytes: Buffer }> = [];
  const b = new TsBlocks();
  const takeFull = (from: TsBlocks): void => {
    const full = from.takeFull();
    spilled.push(...full.map((block) => ({ buffer: block.buffer, bytes: Buffer.from(block) })));
    releaseTsChunks(full);
  };
  // a block counts as full when the next packet needs room, so a new one is taken before the full one is released
  writePackets(b, perBlock + 1);
  takeFull(b);
  writePackets(b, perBlock, perBlock + 1);
  takeFull(b);
  writePackets(b, perBlock + 4, 2 * perBlock + 1);
  takeFull(b);
  expect(spilled.map((s) => s.bytes.length)).toEqual([TS_BLOCK_SIZE, TS_BLOCK_SIZE, TS_BLOCK_SIZE]);
  // two blocks go round: a long segment holds two blocks, not all of them
  expect([spilled[2]!.buffer === spilled[0]!.buffer, spilled[1]!.buffer === spilled[0]!.buffer]).toEqual([true, false]);
  const { chunks, bytes } = b.take();
  expect([chunks.map((c) => c.length), bytes]).toEqual([[5 * 188], (3 * perBlock + 5) * 188]);
  const all = Buffer.concat([...spilled.map((s) => s.bytes), ...chunks]);
  for (let i = 0; i < 3 * perBlock + 5; i++) expect(all[i * 188]).toBe(i & 0xff);
  // a block that fills exactly counts as full only once the next packet needs room
  const exact = new TsBlocks();
  spilled.length = 0;
  writePackets(exact, perBlock);
  takeFull(exact);
  expect(spilled).toEqual([]);
  expect(exact.take().chunks.map((c) => c.length)).toEqual([TS_BLOCK_SIZE]);
  // blocks not taken stay in order ahead of the rest
  const untaken = new TsBlocks();
  writePackets(untaken, 2 * perBlock + 1);
  expect(untaken.take().chunks.map((c) => c.length)).toEqual([TS_BLOCK_SIZE, TS_BLOCK_SIZE, 188]);
});

test('the free list keeps at most 128 blocks (8 MiB); the rest are left to the GC', () => {
  // 140 writers drain whatever the free list holds and allocate the rest
  const writers = Array.from({ length: 140 }, () => new TsBlocks());
  for (const w of writers) writePackets(w, 1);
  expect(freeTsBlocks()).toBe(0);
  const taken = writers.map((w) => w.take().chunks);
  for (const chunks of taken) releaseTsChunks(chunks);
  expect(freeTsBlocks()).toBe(128);
});
