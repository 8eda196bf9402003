// PublishGate: holds copies while admission is pending, forwards in order once open, drops when shut.
import type { AvPacket } from '../../../server/media/rtmp/nms';
import { MAX_HELD_PACKETS, PublishGate } from '../../../server/media/rtmp/publish-gate';

function packet(data: Buffer, size = data.length): AvPacket {
  return { codec_id: 10, codec_type: 8, flags: 1, pts: 0, dts: 0, size, data };
}

function gate() {
  const out: string[] = [];
  const events: string[] = [];
  const g = new PublishGate({
    forward: (p) => out.push(p.data.subarray(0, p.size).toString()),
    started: () => events.push('started'),
    overflow: () => events.push('overflow'),
  });
  return { g, out, events };
}

test('held packets are copies (the parser reuses its buffer) and are flushed in order on open', () => {
  const { g, out, events } = gate();
  const reused = Buffer.alloc(16);
  for (const s of ['one', 'two', 'three']) {
    reused.fill(0).write(s);
    g.push(packet(reused, s.length));
  }
  expect(out).toEqual([]);
  g.open();
  expect(out).toEqual(['one', 'two', 'three']);
  expect(events).toEqual(['started']);
  g.push(packet(Buffer.from('four')));
  expect(out).toEqual(['one', 'two', 'three', 'four']);
  expect(events).toEqual(['started']); // once
});

test('shut drops what was held and what comes after; open after shut does nothing', () => {
  const { g, out, events } = gate();
  g.push(packet(Buffer.from('x')));
  g.shut();
  g.push(packet(Buffer.from('y')));
  g.open();
  expect(out).toEqual([]);
  expect(events).toEqual([]);
});

test('too many held packets overflow once and shut the gate', () => {
  const { g, out, events } = gate();
  for (let i = 0; i < MAX_HELD_PACKETS + 10; i++) g.push(packet(Buffer.from('p')));
  expect(events).toEqual(['overflow']);
  expect(g.heldPackets).toBe(0);
  g.open();
  expect(out).toEqual([]);
});

test('too many held bytes overflow', () => {
  const { g, events } = gate();
  const big = Buffer.alloc(3 * 1024 * 1024);
  g.push(packet(big));
  g.push(packet(big));
  expect(events).toEqual([]);
  g.push(packet(big));
  expect(events).toEqual(['overflow']);
});
