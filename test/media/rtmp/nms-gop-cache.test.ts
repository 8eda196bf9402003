// The hub's join burst (patched node-media-server BroadcastServer): FLV header, metadata, sequence headers, then
// the GOP cache (an array of the tags since the last keyframe), bounded in tags; a new keyframe restarts it.
import pino from 'pino';
import { BaseSession, BroadcastServerClass, type AvPacket, type BroadcastServer, type NmsSession } from '../../../server/media/rtmp/nms';
import { routeNmsLog } from '../../../server/media/rtmp/nms-log';

// the fake metadata is no AMF NMS understands: its complaint goes to a silent logger, not the console
routeNmsLog(pino({ level: 'silent' }));

/** flags as the parser sets them: 0 AAC config, 1 audio, 2 AVC config, 3 keyframe, 4 inter frame, 5 metadata */
function packet(flags: number, dts: number, marker: number): AvPacket {
  const type = flags === 5 ? 18 : flags <= 1 ? 8 : 9;
  const head = { 0: [0xaf, 0x00], 1: [0xaf, 0x01], 2: [0x17, 0x00], 3: [0x17, 0x01], 4: [0x27, 0x01], 5: [0x02, 0x00] }[flags]!;
  const data = Buffer.from([...head, marker >> 8, marker & 0xff]);
  return { codec_id: 0, codec_type: type, flags, pts: dts, dts, size: data.length, data };
}

/** An internal FLV subscriber joining now: the markers of the tags in its burst ('H' for the FLV header). */
function join(hub: BroadcastServer): (number | 'H')[] {
  const got: Buffer[] = [];
  const s: NmsSession = new BaseSession();
  s.protocol = 'flv';
  s.sendBuffer = (b) => got.push(b);
  hub.postPlay(s);
  hub.donePlay(s);
  return got.map((b) => (b[0] === 0x46 ? 'H' : b.readUInt16BE(b.length - 6)));
}

test('a joiner gets metadata, sequence headers, then the tags since the last keyframe, in order', () => {
  const hub = new BroadcastServerClass('/live/gop-order');
  hub.broadcastMessage(packet(5, 0, 1));
  hub.broadcastMessage(packet(0, 0, 2));
  hub.broadcastMessage(packet(2, 0, 3));
  hub.broadcastMessage(packet(1, 10, 4)); // before any keyframe: not cached
  expect(join(hub)).toEqual(['H', 1, 2, 3]);
  hub.broadcastMessage(packet(3, 40, 10));
  hub.broadcastMessage(packet(1, 50, 11));
  hub.broadcastMessage(packet(4, 73, 12));
  expect(join(hub)).toEqual(['H', 1, 2, 3, 10, 11, 12]);
  hub.broadcastMessage(packet(3, 2040, 20)); // the next GOP starts the cache again
  hub.broadcastMessage(packet(4, 2073, 21));
  expect(join(hub)).toEqual(['H', 1, 2, 3, 20, 21]);
});

test('live subscribers get each tag once, the same buffer for all of them', () => {
  const hub = new BroadcastServerClass('/live/gop-live');
  const seen: Buffer[][] = [[], []];
  for (const got of seen) {
    const s: NmsSession = new BaseSession();
    s.protocol = 'flv';
    s.sendBuffer = (b) => got.push(b);
    hub.postPlay(s);
  }
  hub.broadcastMessage(packet(3, 0, 7));
  hub.broadcastMessage(packet(4, 33, 8));
  expect(seen[0]!.length).toBe(3);
  expect(seen[1]!.length).toBe(3);
  expect(seen[0]![1]).toBe(seen[1]![1]);
  expect(seen[0]![2]).toBe(seen[1]![2]);
});

test('a GOP longer than 4096 tags is dropped rather than kept for ever', () => {
  const hub = new BroadcastServerClass('/live/gop-bound');
  hub.broadcastMessage(packet(3, 0, 1));
  for (let i = 0; i < 4095; i++) hub.broadcastMessage(packet(1, i, 2));
  expect(join(hub).length).toBe(1 + 4096); // at the bound: all kept
  hub.broadcastMessage(packet(1, 5000, 3)); // the 4097th: over it, everything goes
  expect(join(hub)).toEqual(['H']);
  hub.broadcastMessage(packet(1, 5001, 4)); // then it fills again until the next keyframe
  expect(join(hub)).toEqual(['H', 4]);
});
