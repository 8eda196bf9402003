// PublishPace on hand-made FLV tags and a fake clock: media time against wall time, with a slack.
import { PublishPace } from '../../../server/media/rtmp/publish-pace';

/** An FLV tag header of `type` at `dts` ms (24-bit timestamp + extension byte), with a one-byte body. */
function tag(type: number, dts: number): Buffer {
  const b = Buffer.alloc(16);
  b[0] = type;
  b.writeUIntBE(1, 1, 3); // body size
  b.writeUIntBE(dts % 0x1000000, 4, 3);
  b[7] = Math.floor(dts / 0x1000000);
  return b;
}

function pace(maxSpeed = 2, slackMs = 1000) {
  let now = 0;
  const trips: Array<[number, number]> = [];
  const p = new PublishPace({ maxSpeed, slackMs, now: () => now, tooFast: (m, w) => trips.push([m, w]) });
  return { p, trips, at: (ms: number) => { now = ms; } };
}

test('media within slack + maxSpeed × wall time passes; one millisecond more trips, once', () => {
  const { p, trips, at } = pace(2, 1000);
  p.onTag(tag(9, 0));
  at(1000);
  p.onTag(tag(9, 3000)); // allowance 1000 + 2 × 1000
  expect(trips).toEqual([]);
  p.onTag(tag(9, 3001));
  expect(trips).toEqual([[3001, 1000]]);
  p.onTag(tag(9, 90000));
  expect(trips).toHaveLength(1);
});

test('timestamps that jump back win no time back; audio and video are measured apart (interleaving is not speed)', () => {
  const { p, trips, at } = pace(1, 1000);
  p.onTag(tag(8, 0));
  p.onTag(tag(9, 40));
  at(500);
  for (let i = 0; i < 3; i++) {
    p.onTag(tag(9, 40 + 400)); // 400 ms forward, then back to 40: a loop
    p.onTag(tag(9, 40));
  }
  p.onTag(tag(8, 20));
  expect(trips).toEqual([]); // video has sent 3 × 400 = 1200 ms, the allowance is 1000 + 1 × 500
  p.onTag(tag(9, 440)); // 1600: the loop's fourth lap
  expect(trips).toEqual([[1600, 500]]);
});

test('the FLV file header, script tags and short buffers are ignored; the first tag sets the clock', () => {
  const { p, trips, at } = pace(1, 0);
  at(100);
  p.onTag(Buffer.from('FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00', 'latin1'));
  p.onTag(tag(18, 0));
  p.onTag(tag(18, 99999));
  p.onTag(Buffer.alloc(5, 9));
  p.onTag(tag(9, 50000));
  at(200);
  p.onTag(tag(9, 50100)); // 100 ms in 100 ms since the first media tag
  expect(trips).toEqual([]);
  p.onTag(tag(9, 50101));
  expect(trips).toEqual([[101, 100]]);
});
