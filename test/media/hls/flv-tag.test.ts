// Byte tests for reading whole FLV tag buffers as node-media-server hands them to a subscriber.
import { FlvParseError } from '../../../server/media/hls/errors';
import { readFlvTag } from '../../../server/media/hls/flv-tag';

const FILE_HEADER = Buffer.from([
  0x46, 0x4c, 0x56, // "FLV"
  0x01, // version
  0x05, // audio + video present
  0x00, 0x00, 0x00, 0x09, // header size
  0x00, 0x00, 0x00, 0x00, // PreviousTagSize0
]);

test('the FLV file header is recognised and yields no tag', () => {
  expect(readFlvTag(FILE_HEADER)).toBeNull();
});

test('a video tag: type, timestamp with extension byte, body view, trailing previous-size ignored', () => {
  const buf = Buffer.from([
    0x09, // tag type video
    0x00, 0x00, 0x03, // data size 3
    0x00, 0x00, 0x28, // timestamp bits 23..0 = 40
    0x01, // timestamp extension: bits 31..24
    0x00, 0x00, 0x00, // stream id
    0x17, 0x01, 0x00, // body
    0x00, 0x00, 0x00, 0x0e, // previous tag size 14
  ]);
  const tag = readFlvTag(buf)!;
  expect({ type: tag.type, timestamp: tag.timestamp, body: [...tag.body] }).toEqual({ type: 9, timestamp: 0x01000028, body: [0x17, 0x01, 0x00] });
});

test('timestamps past 2^31 ms stay positive (extension byte 0xFF)', () => {
  const buf = Buffer.from([0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00]);
  expect(readFlvTag(buf)!.timestamp).toBe(0xffffffff);
});

test('truncated headers, truncated bodies and encrypted tags throw FlvParseError', () => {
  const cases = [
    Buffer.from([0x09, 0x00, 0x00]), // 3 of 11 header bytes
    Buffer.from([0x09, 0x00, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x17]), // declares 16 body bytes, has 1
    Buffer.from([0x46, 0x4c, 0x56, 0x01]), // FLV header cut short
    Buffer.from([0x29, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), // filter bit set: encrypted
  ];
  const codes = cases.map((b) => {
    try {
      readFlvTag(b);
      return 'no error';
    } catch (err) {
      return err instanceof FlvParseError ? err.code : 'wrong error type';
    }
  });
  expect(codes).toEqual(['truncated', 'truncated', 'truncated', 'encrypted']);
});
