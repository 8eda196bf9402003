// FlvFanout: join burst, merged writes, no duplicate or missing tags for late joiners, slow viewers dropped.
import { FlvFanout, MERGE_FROM_VIEWERS, type ByteSink } from '../../../server/media/flv/flv-fanout';
import { classifyTag } from '../../../server/media/flv/tag-kind';

/** A whole FLV tag: 11-byte header (type, size, timestamp, stream id), body, 4-byte previous size. */
function tag(type: number, body: number[], ts = 0): Buffer {
  const b = Buffer.alloc(11 + body.length + 4);
  b[0] = type;
  b.writeUIntBE(body.length, 1, 3);
  b.writeUIntBE(ts & 0xffffff, 4, 3);
  Buffer.from(body).copy(b, 11);
  b.writeUInt32BE(11 + body.length, 11 + body.length);
  return b;
}
const HEADER = Buffer.from([0x46, 0x4c, 0x56, 1, 5, 0, 0, 0, 9, 0, 0, 0, 0]); // "FLV" v1, audio+video
const AAC_CONFIG = tag(8, [0xaf, 0x00, 0x12, 0x10]); // AAC, AACPacketType 0, AudioSpecificConfig
const AVC_CONFIG = tag(9, [0x17, 0x00, 0, 0, 0, 1]); // keyframe + AVC, AVCPacketType 0
const key = (ts: number) => tag(9, [0x17, 0x01, 0, 0, 0, 0xaa], ts); // keyframe NALU
const inter = (ts: number) => tag(9, [0x27, 0x01, 0, 0, 0, 0xbb], ts); // inter frame NALU
const audio = (ts: number) => tag(8, [0xaf, 0x01, 0xcc], ts); // AAC raw frame
// script tag "@setDataFrame" "onMetaData" {} as RTMP publishers send it
const META = tag(18, [0x02, 0x00, 0x0d, ...Buffer.from('@setDataFrame'), 0x02, 0x00, 0x0a, ...Buffer.from('onMetaData'), 0x03, 0, 0, 9]);

class Sink implements ByteSink {
  chunks: Buffer[] = [];
  destroyed = false;
  ended = false;
  writableLength = 0;
  write(c: Buffer): boolean { this.chunks.push(c); return true; }
  end(): void { this.ended = true; }
  destroy(): void { this.destroyed = true; }
  get bytes(): Buffer { return Buffer.concat(this.chunks); }
}

/** mergeFrom 1: every test below merges from the first viewer on, except the one about few viewers */
function fanout(mergeMs = 50, maxBufferedBytes = 1 << 20, mergeFrom = 1) {
  const events = { bytes: 0, slow: 0 };
  const f = new FlvFanout({
    mergeMs, maxBufferedBytes, mergeFrom, onBytes: (n) => { events.bytes += n; }, onSlow: () => { events.slow++; },
  });
  return { f, events };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('classifies tags by their first bytes', () => {
  expect([HEADER, META, AAC_CONFIG, AVC_CONFIG, key(0), inter(40), audio(23)].map(classifyTag))
    .toEqual(['header', 'meta', 'audio-config', 'video-config', 'keyframe', 'frame', 'frame']);
});

test('a joining viewer gets header, metadata without @setDataFrame, configs and the GOP from its keyframe', () => {
  const { f } = fanout();
  for (const t of [HEADER, META, AAC_CONFIG, AVC_CONFIG, key(0), inter(40), key(80), audio(90), inter(120)]) f.onTag(t);
  f.attached(() => undefined);
  const v = new Sink();
  f.join(v);
  const got = v.bytes;
  const metaOut = got.subarray(HEADER.length, HEADER.length + META.length - 16);
  expect(metaOut.readUIntBE(1, 3)).toBe(META.readUIntBE(1, 3) - 16); // 16 bytes of "@setDataFrame" string gone
  expect(metaOut.subarray(11, 24).toString('latin1')).toBe('\u0002\u0000\nonMetaData');
  const rest = got.subarray(HEADER.length + metaOut.length);
  expect(rest).toEqual(Buffer.concat([AAC_CONFIG, AVC_CONFIG, key(80), audio(90), inter(120)]));
});

test('live tags are merged into one write per window, the same buffer for every viewer', () => {
  const { f, events } = fanout(50);
  f.onTag(HEADER); f.onTag(AVC_CONFIG); f.onTag(key(0));
  f.attached(() => undefined);
  const a = new Sink();
  const b = new Sink();
  f.join(a); f.join(b);
  f.onTag(inter(40)); f.onTag(audio(50)); f.onTag(inter(80));
  expect(a.chunks).toHaveLength(1); // only the join burst so far
  jest.advanceTimersByTime(50);
  expect(a.chunks).toHaveLength(2);
  expect(a.chunks[1]).toBe(b.chunks[1]); // one merged buffer, shared
  expect(a.chunks[1]).toEqual(Buffer.concat([inter(40), audio(50), inter(80)]));
  expect(events.bytes).toBe(a.bytes.length + b.bytes.length); // join bursts and merged writes
});

test(`below ${MERGE_FROM_VIEWERS} viewers every tag goes out at once; from then on they are merged`, () => {
  const { f } = fanout(50, 1 << 20, MERGE_FROM_VIEWERS); // the default
  f.onTag(HEADER); f.onTag(AVC_CONFIG); f.onTag(key(0));
  f.attached(() => undefined);
  const sinks = Array.from({ length: MERGE_FROM_VIEWERS }, () => new Sink());
  for (const s of sinks.slice(0, -1)) f.join(s);
  f.onTag(inter(40));
  expect(sinks[0]!.chunks).toHaveLength(2); // the join burst, then inter(40) without waiting for a timer
  expect(sinks[0]!.chunks[1]).toEqual(inter(40));
  f.join(sinks.at(-1)!);
  f.onTag(inter(80)); f.onTag(audio(90));
  expect(sinks[0]!.chunks).toHaveLength(2); // now gathered for the window
  jest.advanceTimersByTime(50);
  expect(sinks[0]!.chunks[2]).toEqual(Buffer.concat([inter(80), audio(90)]));
  expect(sinks.at(-1)!.chunks.at(-1)).toBe(sinks[0]!.chunks[2]);
});

test('joiners share one copy of the join burst; GOP tags after it follow one by one, a long tail is copied anew', () => {
  const { f } = fanout(50);
  f.onTag(HEADER); f.onTag(AVC_CONFIG); f.onTag(key(0));
  f.attached(() => undefined);
  const first = Array.from({ length: 50 }, () => new Sink());
  for (const s of first) f.join(s);
  expect(first[0]!.bytes).toEqual(Buffer.concat([HEADER, AVC_CONFIG, key(0)]));
  expect(new Set(first.map((s) => s.chunks[0])).size).toBe(1); // one buffer for all, not 50 copies
  f.onTag(inter(40));
  const later = new Sink();
  f.join(later);
  expect(later.chunks[0]).toBe(first[0]!.chunks[0]);
  expect(later.bytes).toEqual(Buffer.concat([HEADER, AVC_CONFIG, key(0), inter(40)]));
  const tail = Array.from({ length: 40 }, (_, i) => inter(80 + i * 40));
  for (const t of tail) f.onTag(t);
  const late = new Sink();
  f.join(late);
  expect(late.chunks).toHaveLength(1); // the burst was copied again with the whole GOP
  expect(late.bytes).toEqual(Buffer.concat([HEADER, AVC_CONFIG, key(0), inter(40), ...tail]));
  f.onTag(key(2000)); // a new GOP: the old burst is gone
  const next = new Sink();
  f.join(next);
  expect(next.bytes).toEqual(Buffer.concat([HEADER, AVC_CONFIG, key(2000)]));
});

test('a viewer joining mid-window gets each tag exactly once', () => {
  const { f } = fanout(50);
  f.onTag(HEADER); f.onTag(AVC_CONFIG); f.onTag(key(0));
  f.attached(() => undefined);
  const early = new Sink();
  f.join(early);
  f.onTag(inter(40));
  const late = new Sink();
  f.join(late); // inter(40) is in its burst (GOP) already
  f.onTag(inter(80));
  jest.advanceTimersByTime(50);
  expect(early.bytes).toEqual(Buffer.concat([HEADER, AVC_CONFIG, key(0), inter(40), inter(80)]));
  expect(late.bytes).toEqual(Buffer.concat([HEADER, AVC_CONFIG, key(0), inter(40), inter(80)]));
});

test('a viewer with too much unsent data is dropped and counted; the others go on', () => {
  const { f, events } = fanout(0, 1000);
  f.onTag(HEADER);
  f.attached(() => undefined);
  const slow = new Sink();
  const fast = new Sink();
  f.join(slow); f.join(fast);
  slow.writableLength = 990; // the kernel and Node buffers are full for this one
  f.onTag(inter(40));
  expect(slow.destroyed).toBe(true);
  expect(events.slow).toBe(1);
  expect(f.size).toBe(1);
  expect(fast.bytes).toEqual(Buffer.concat([HEADER, inter(40)]));
});

test('close ends every viewer and leaves the hub; an audio-only GOP stays bounded', () => {
  const { f } = fanout(0);
  let detached = 0;
  f.onTag(HEADER);
  f.attached(() => { detached++; });
  for (let i = 0; i < 5000; i++) f.onTag(audio(i * 23));
  const v = new Sink();
  f.join(v);
  expect(v.bytes.length).toBeLessThan(HEADER.length + 4096 * audio(0).length + 1);
  f.close();
  expect(v.ended).toBe(true);
  expect(detached).toBe(1);
  expect(f.size).toBe(0);
});

test('a low-latency viewer gets every tag in its own write at once while merged viewers wait for the window', () => {
  const { f, events } = fanout(50, 1 << 20, 1);
  for (const t of [HEADER, AVC_CONFIG, key(0)]) f.onTag(t);
  f.attached(() => undefined);
  const merged = new Sink();
  const low = new Sink();
  f.join(merged);
  f.join(low, { lowLatency: true });
  expect(f.size).toBe(2);
  const burst = low.chunks.length;
  f.onTag(inter(40));
  f.onTag(audio(45));
  // written at once, one write per tag, before any timer ran
  expect(low.chunks.slice(burst)).toEqual([inter(40), audio(45)]);
  expect(merged.chunks.length).toBe(1); // only its join burst so far
  jest.advanceTimersByTime(50);
  expect(merged.chunks.slice(1)).toEqual([Buffer.concat([inter(40), audio(45)])]);
  expect(low.chunks.length).toBe(burst + 2); // the flush sends it nothing twice
  expect(events.bytes).toBe(merged.bytes.length + low.bytes.length);
  expect(f.leave(low)).toBe(1);
  f.onTag(inter(80));
  expect(low.chunks.length).toBe(burst + 2);
  f.close();
  expect(merged.ended).toBe(true);
});

test('low-latency viewers do not count towards the viewers from which merging starts', () => {
  const { f } = fanout(50, 1 << 20, 2);
  f.attached(() => undefined);
  const merged = new Sink();
  f.join(merged);
  for (let i = 0; i < 3; i++) f.join(new Sink(), { lowLatency: true });
  f.onTag(inter(40));
  expect(merged.chunks).toEqual([inter(40)]); // one merged viewer < mergeFrom 2: written at once
});

test('a slow low-latency viewer is dropped like any other', () => {
  const { f, events } = fanout(50, 100, 1);
  f.attached(() => undefined);
  const low = new Sink();
  low.writableLength = 90;
  f.join(low, { lowLatency: true });
  f.onTag(inter(40));
  expect(low.destroyed).toBe(true);
  expect(events.slow).toBe(1);
  expect(f.size).toBe(0);
});
