// The hub carves a GOP's tags from slabs it carves again once the GOP ended (patched Flv.TagSlab, TagTap.onGopEnd).
// A real broadcast of a real encode with short GOPs (every tag in a slab) feeds the real consumers: the HLS
// pipeline and FLV fan-outs with every kind of viewer, whose sinks keep exactly what they were written (no copy).
// Their output must be byte for byte what the same events give when every tag is a buffer of its own; and a
// consumer that keeps hub tags past onGopEnd must see them change, or the first check proves nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlvFanout, type ByteSink } from '../../../server/media/flv/flv-fanout';
import { HlsPipeline, releaseTsChunks } from '../../../server/media/hls';
import { BroadcastServerClass, type AvPacket } from '../../../server/media/rtmp/nms';
import { TapSession } from '../../../server/media/rtmp/tap-session';
import type { TagTap } from '../../../server/media/rtmp/types';
import { splitFlv } from '../hls/helpers/flv-file';
import { encodeOnce } from '../hls/helpers/media-tools';

const Flv = require('node-media-server/src/protocol/flv.js') as {
  parserTag(type: number, time: number, size: number, data: Buffer): AvPacket;
  TagSlab: new (reuse?: boolean) => { take(size: number): Buffer; endGop(): void; reuseEndedGop(): void; forgetEndedGop(): void };
};

let dir: string;
let fileTags: Buffer[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxlive-tag-reuse-'));
  const file = join(dir, 'in.flv');
  // 2 frames per GOP (75 of them) of ~25 kB, so a slab is carved again within a few tags: GOPs end while audio is
  // being gathered, and (once the audio stops at 3 s) while the segmenter holds keyframes waiting for it
  await encodeOnce(['-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=duration=3', '-c:v', 'libx264',
    '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '2', '-b:v', '5M', '-maxrate', '5M', '-bufsize', '1M', '-c:a', 'aac', '-t', '6',
    '-f', 'flv', file]);
  fileTags = splitFlv(readFileSync(file)).slice(1); // the broadcast makes its own file header
}, 60000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

class KeepingSink implements ByteSink {
  chunks: Buffer[] = [];
  destroyed = false;
  writableLength = 0;
  write(c: Buffer): boolean { this.chunks.push(c); return true; }
  end(): void {}
  destroy(): void { this.destroyed = true; }
  get bytes(): Buffer { return Buffer.concat(this.chunks); }
}

/** What a subscriber was given, in order, with each tag copied as it came. */
type TapEvent = { tag: Buffer } | 'gopEnd';

/** The consumers under test, fed by a tap; `output()` is everything they produced. */
function consumers() {
  const hls = new HlsPipeline({ fragmentS: 1 });
  const ts: Buffer[] = [];
  const takeTs = (blocks: readonly Buffer[]) => {
    for (const b of blocks) ts.push(Buffer.from(b));
    releaseTsChunks(blocks);
  };
  const few = new FlvFanout({ mergeMs: 0, maxBufferedBytes: 1 << 30, onBytes: () => undefined, onSlow: () => undefined });
  const merged = new FlvFanout({ mergeMs: 40, mergeFrom: 1, maxBufferedBytes: 1 << 30, onBytes: () => undefined, onSlow: () => undefined });
  const sinks = {
    few: new KeepingSink(), low: new KeepingSink(), merged: new KeepingSink(),
    // joining one tag apart within a GOP: the later ones get the copied burst and a tail after it
    late: Array.from({ length: 4 }, () => new KeepingSink()), lateMerged: Array.from({ length: 4 }, () => new KeepingSink()),
  };
  few.join(sinks.few);
  few.join(sinks.low, { lowLatency: true });
  merged.join(sinks.merged);
  let tags = 0;
  const tap: Required<TagTap> = {
    onTag(tag) {
      for (const seg of hls.pushTag(tag)) takeTs(seg.chunks);
      takeTs(hls.takeFull().blocks);
      few.onTag(tag);
      merged.onTag(tag);
      tags++;
      if (tags % 7 === 0) jest.advanceTimersByTime(40); // the merge window passes now and then, across GOP ends too
      if (tags >= 200 && tags < 204) { few.join(sinks.late[tags - 200]!); merged.join(sinks.lateMerged[tags - 200]!); }
    },
    onGopEnd() {
      hls.onGopEnd();
      few.onGopEnd();
      merged.onGopEnd();
    },
    onEnd() {},
  };
  const output = () => {
    jest.advanceTimersByTime(1000);
    const last = hls.flush();
    if (last) takeTs(last.chunks);
    const written = Object.entries(sinks).flatMap(([k, s]) => (Array.isArray(s) ? s.map((x, i) => [`${k}${i}`, x] as const) : [[k, s] as const]));
    return { ts: Buffer.concat(ts), ...Object.fromEntries(written.map(([k, x]) => [k, x.bytes])) } as Record<string, Buffer>;
  };
  return { tap, output };
}

/** Publishes the encode the way the RTMP parser does: one payload buffer, refilled per message; `after` each one. */
function publish(hub: InstanceType<typeof BroadcastServerClass>, after: () => void = () => undefined): void {
  const payload = Buffer.alloc(1 << 20);
  for (const t of fileTags) {
    const size = t.readUIntBE(1, 3);
    t.copy(payload, 0, 11, 11 + size);
    const ts = t.readUIntBE(4, 3) + t[7]! * 0x1000000;
    hub.broadcastMessage(Flv.parserTag(t[0]!, ts, size, payload.subarray(0, size)));
    after();
  }
}

/** Publishes to a real broadcast with these taps attached (as TapSessions). */
function broadcast(taps: TagTap[]): { tagBuffers: Set<ArrayBufferLike>; delivered: number } {
  const hub = new BroadcastServerClass('/live/tagreuse0000');
  const tagBuffers = new Set<ArrayBufferLike>();
  let delivered = 0;
  // slabs only (64 KiB): a tag over 32 KiB, a sequence header or metadata has a buffer of its own
  const counting: TagTap = { onTag: (t) => { delivered++; if (t.buffer.byteLength === 64 * 1024) tagBuffers.add(t.buffer); } };
  for (const tap of [...taps, counting]) new TapSession(hub, tap, (err) => { throw err; }).attach();
  publish(hub);
  return { tagBuffers, delivered };
}

test('every consumer writes what it would with tags of their own, while the hub carves each GOP\'s slabs again', () => {
  jest.useFakeTimers();
  try {
    const live = consumers();
    const events: TapEvent[] = [];
    const recording: TagTap = { onTag: (t) => events.push({ tag: Buffer.from(t) }), onGopEnd: () => events.push('gopEnd') };
    // a careless consumer: keeps the hub's tags themselves and ignores onGopEnd
    const kept: Buffer[] = [];
    const careless: TagTap = { onTag: (t) => kept.push(t), onGopEnd: () => undefined };
    const { tagBuffers, delivered } = broadcast([recording, live.tap, careless]);
    const got = live.output();

    // the same events, every tag a buffer of its own
    const reference = consumers();
    for (const e of events) if (e === 'gopEnd') reference.tap.onGopEnd(); else reference.tap.onTag(e.tag);
    const want = reference.output();

    expect(events.filter((e) => e === 'gopEnd').length).toBeGreaterThan(25);
    // slabs were carved again, not allocated per GOP (~50 of them without reuse)
    expect(tagBuffers.size).toBeGreaterThan(0);
    expect(tagBuffers.size).toBeLessThan(16);
    expect(delivered).toBeGreaterThan(250);
    expect(got.ts!.length).toBeGreaterThan(100_000);
    expect(Object.keys(got).length).toBe(12);
    for (const k of Object.keys(want)) {
      expect({ k, bytes: got[k]!.length }).toEqual({ k, bytes: want[k]!.length });
      expect({ k, same: got[k]!.equals(want[k]!) }).toEqual({ k, same: true });
    }
    // what the careless consumer kept was overwritten: reuse really happened
    const recorded = events.filter((e): e is { tag: Buffer } => e !== 'gopEnd').map((e) => e.tag);
    expect(kept.length).toBe(recorded.length);
    expect(kept.filter((t, i) => !t.equals(recorded[i]!)).length).toBeGreaterThan(recorded.length / 4);
  } finally {
    jest.useRealTimers();
  }
});

test('a flv subscriber that cannot let go of a GOP (no onGopEnd) keeps every slab from being carved again', () => {
  const hub = new BroadcastServerClass('/live/tagreuse0001');
  const kept: Buffer[] = [];
  // an NMS session of protocol flv without onGopEnd, as NMS's own HTTP-FLV sessions are
  hub.subscribers.set('raw', { protocol: 'flv', sendBuffer: (b: Buffer) => kept.push(b) } as never);
  const copies: Buffer[] = [];
  publish(hub, () => copies.push(Buffer.from(kept[kept.length - 1]!)));
  expect(kept.length).toBe(fileTags.length);
  expect(kept.every((t, i) => t.equals(copies[i]!))).toBe(true);
});

describe('Flv.TagSlab', () => {
  const fill = (slab: InstanceType<typeof Flv.TagSlab>, n: number) => Array.from({ length: n }, () => slab.take(20 * 1024));

  test('carves the slabs of an ended GOP again, never those of the GOP in progress', () => {
    const slab = new Flv.TagSlab(true);
    const gop1 = new Set(fill(slab, 9).map((t) => t.buffer));
    slab.endGop();
    const gop2 = fill(slab, 9).map((t) => t.buffer);
    expect(gop2.some((b) => gop1.has(b))).toBe(false); // the first GOP is not released yet
    slab.reuseEndedGop();
    slab.endGop(); // (the keyframe comes in a fresh slab)
    const gop3 = fill(slab, 9).map((t) => t.buffer);
    expect(gop3.every((b) => gop1.has(b))).toBe(true);
    expect(gop3.some((b) => gop2.includes(b))).toBe(false);
  });

  test('a GOP forgotten (still held somewhere) is never carved again; a GOP too big for the pool goes to the GC', () => {
    const slab = new Flv.TagSlab(true);
    const held = new Set(fill(slab, 9).map((t) => t.buffer));
    slab.endGop();
    slab.forgetEndedGop();
    expect(fill(slab, 30).some((t) => held.has(t.buffer))).toBe(false);
    // 200 slabs in one GOP: over the 64 kept for reuse
    const big = new Flv.TagSlab(true);
    const long = new Set(fill(big, 600).map((t) => t.buffer));
    big.endGop();
    big.reuseEndedGop();
    const reused = new Set(fill(big, 600).map((t) => t.buffer).filter((b) => long.has(b)));
    expect(reused.size).toBeLessThanOrEqual(64);
  });

  test('a slab whose owner does not end GOPs (the default) keeps none of its full slabs', () => {
    const slab = new Flv.TagSlab();
    const first = new Set(fill(slab, 9).map((t) => t.buffer));
    slab.endGop();
    slab.reuseEndedGop();
    expect(fill(slab, 9).some((t) => first.has(t.buffer))).toBe(false);
  });
});
