// Where the muxer's 188-byte packets go: fixed-size blocks that are handed out as a segment's chunks and,
// once the segment is written, handed back for the next one. With 20 streams this turns ~4 MB/s of
// short-lived buffers (one per PES, then one per segment to join them) into a steady free list, which is
// what keeps the garbage collector and RSS quiet.
import { TS_PACKET_SIZE } from './ts-packets';

/** 348 packets: just under 64 KiB, and a packet never straddles two blocks */
export const TS_BLOCK_SIZE = TS_PACKET_SIZE * 348;
/** free blocks kept for reuse (8 MiB); beyond that, returned blocks are left to the GC */
const MAX_FREE_BLOCKS = 128;

const NO_BLOCK = Buffer.alloc(0);
const free: ArrayBuffer[] = [];
/** blocks made here, so releaseTsChunks() never adopts a caller's buffer */
const ours = new WeakSet<ArrayBuffer>();
/** blocks currently in `free`, so a double release cannot hand one block to two segments */
const isFree = new WeakSet<ArrayBuffer>();

function takeBlock(): Buffer {
  const reused = free.pop();
  if (reused) {
    isFree.delete(reused);
    return Buffer.from(reused);
  }
  const block = Buffer.allocUnsafeSlow(TS_BLOCK_SIZE); // its own ArrayBuffer, never a slice of Node's pool
  ours.add(block.buffer);
  return block;
}

/**
 * Gives a written segment's chunks back for reuse. Only call it when nothing will read them again:
 * the next segment overwrites them. Chunks that did not come from here are ignored.
 */
export function releaseTsChunks(chunks: readonly Buffer[]): void {
  for (const c of chunks) {
    const ab = c.buffer as ArrayBuffer;
    if (!ours.has(ab) || isFree.has(ab) || free.length >= MAX_FREE_BLOCKS) continue;
    isFree.add(ab);
    free.push(ab);
  }
}

/** Free blocks held right now (tests and stats). */
export function freeTsBlocks(): number {
  return free.length;
}

/** What a TsBlocks wrote between two take() calls: the chunks not taken by takeFull(), and the byte count of all of it. */
export interface TsOutput {
  chunks: Buffer[];
  bytes: number;
}

const NO_BLOCKS: readonly Buffer[] = Object.freeze([]);

/**
 * An append-only run of TS packets: reserve() one packet at a time, take() the lot as chunks. takeFull() hands
 * over the blocks filled so far; released right after they are copied, they are reused, so a long segment
 * holds one block instead of all of them (take() then returns only what was not taken).
 */
export class TsBlocks {
  /** retired blocks not handed out yet: full ones only, until take() retires the partial one */
  private done: Buffer[] = [];
  /** bytes since the last take(), taken full blocks included */
  private doneBytes = 0;
  /** the block packets are being written into */
  block: Buffer = NO_BLOCK;
  /** where in `block` the packets of the last reserveRun() start */
  runStart = 0;
  private used = 0;

  /** Offset in `block` where the next 188-byte packet goes (all 188 bytes must be written). */
  reserve(): number {
    this.reserveRun(1);
    return this.runStart;
  }

  /**
   * Room for up to `want` consecutive packets in `block`, from `runStart`: returns how many (at least one; fewer
   * when the block ends first). All of them must be written.
   */
  reserveRun(want: number): number {
    if (this.used + TS_PACKET_SIZE > this.block.length) {
      if (this.used > 0) this.retire();
      this.block = takeBlock();
      this.used = 0;
    }
    const n = Math.min(want, Math.floor((this.block.length - this.used) / TS_PACKET_SIZE));
    this.runStart = this.used;
    this.used += n * TS_PACKET_SIZE;
    return n;
  }

  /**
   * The blocks that filled up since the last take or takeFull (a block counts as full once the next packet
   * needs room). They now belong to the caller: release them (releaseTsChunks) once nothing reads them.
   */
  takeFull(): readonly Buffer[] {
    if (this.done.length === 0) return NO_BLOCKS;
    const full = this.done;
    this.done = [];
    return full;
  }

  /** What was written since the last take() (chunks in order, those takeFull() took left out); the next packet starts a new block. */
  take(): TsOutput {
    if (this.used > 0) this.retire();
    const out = { chunks: this.done, bytes: this.doneBytes };
    this.done = [];
    this.doneBytes = 0;
    this.block = NO_BLOCK;
    return out;
  }

  private retire(): void {
    this.done.push(this.used === this.block.length ? this.block : this.block.subarray(0, this.used));
    this.doneBytes += this.used;
    this.used = 0;
  }
}
