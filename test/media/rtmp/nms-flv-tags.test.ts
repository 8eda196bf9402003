// The hub's FLV tags (patched node-media-server Flv.createMessage): one buffer per message, every byte written,
// small ones carved from shared slabs that must never overlap, sequence headers and metadata in buffers of
// their own (they stay referenced for a whole publish and must not pin a slab).
import type { AvPacket } from '../../../server/media/rtmp/nms';

const Flv = require('node-media-server/src/protocol/flv.js') as { createMessage(p: AvPacket): Buffer };

function packet(type: number, flags: number, dts: number, body: Buffer, spare = 0): AvPacket {
  // the parser's payload buffer is longer than the message (it is reused): only `size` bytes count
  const data = Buffer.concat([body, Buffer.alloc(spare, 0xee)]);
  return { codec_id: 0, codec_type: type, flags, pts: dts, dts, size: body.length, data };
}

function expectTag(tag: Buffer, type: number, dts: number, body: Buffer): void {
  expect(tag.length).toBe(11 + body.length + 4);
  expect(tag[0]).toBe(type);
  expect(tag.readUIntBE(1, 3)).toBe(body.length);
  expect(tag.readUIntBE(4, 3) + tag[7]! * 0x1000000).toBe(dts);
  expect([...tag.subarray(8, 11)]).toEqual([0, 0, 0]); // stream id, although the memory is not zero-filled
  expect(tag.subarray(11, 11 + body.length).equals(body)).toBe(true);
  expect(tag.readUInt32BE(11 + body.length)).toBe(11 + body.length);
}

test('tags are exact, and keep their bytes while many more are made after them', () => {
  const made: { tag: Buffer; body: Buffer; dts: number }[] = [];
  for (let i = 0; i < 400; i++) {
    const body = Buffer.alloc(1 + ((i * 997) % 9000), i & 0xff);
    body[0] = 0x27; // inter frame: a slab candidate
    const dts = i * 33 + (i === 399 ? 0x80000000 : 0);
    made.push({ tag: Flv.createMessage(packet(9, 4, dts, body, 64)), body, dts });
  }
  for (const { tag, body, dts } of made) expectTag(tag, 9, dts, body);
  // they do share memory (that is the point), without overlapping
  const byArrayBuffer = new Map<ArrayBufferLike, Buffer[]>();
  for (const { tag } of made) byArrayBuffer.set(tag.buffer, [...(byArrayBuffer.get(tag.buffer) ?? []), tag]);
  expect(byArrayBuffer.size).toBeLessThan(made.length / 4);
  for (const tags of byArrayBuffer.values()) {
    const spans = tags.map((t) => [t.byteOffset, t.byteOffset + t.length] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  }
});

test('sequence headers and metadata get buffers of their own; so does a big keyframe', () => {
  const avc = Flv.createMessage(packet(9, 2, 0, Buffer.from([0x17, 0x00, 0, 0, 0, 1, 2, 3])));
  const aac = Flv.createMessage(packet(8, 0, 0, Buffer.from([0xaf, 0x00, 0x12, 0x10])));
  const meta = Flv.createMessage(packet(18, 5, 0, Buffer.from([0x02, 0x00, 0x0a, ...Buffer.from('onMetaData')])));
  const key = Flv.createMessage(packet(9, 3, 40, Buffer.alloc(200 * 1024, 0x17)));
  for (const tag of [avc, aac, meta, key]) {
    expect(tag.byteOffset).toBe(0);
    expect(tag.buffer.byteLength).toBe(tag.length);
  }
  expectTag(aac, 8, 0, Buffer.from([0xaf, 0x00, 0x12, 0x10]));
});

test('a packet whose data is shorter than its size never exposes stale memory', () => {
  const p = packet(8, 1, 5, Buffer.from([0xaf, 0x01, 0x42]));
  p.size = 10;
  const tag = Flv.createMessage(p);
  expect([...tag.subarray(11, 21)]).toEqual([0xaf, 0x01, 0x42, 0, 0, 0, 0, 0, 0, 0]);
});
