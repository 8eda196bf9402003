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

test('the FLV header is exactly 9 bytes at least; "FL" without "V" is read as a tag', () => {
  expect(readFlvTag(FILE_HEADER.subarray(0, 9))).toBeNull();
  expect(() => readFlvTag(FILE_HEADER.subarray(0, 8))).toThrow(expect.objectContaining({ code: 'truncated', message: 'FLV header is 8 bytes' }));
  // 'F' 'L' 0x00: no FLV header, so a tag of type 6 whose size field (bytes 1..3) is 0x4C0000
  expect(() => readFlvTag(Buffer.from([0x46, 0x4c, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0]))).toThrow(
    expect.objectContaining({ code: 'truncated', message: 'FLV tag declares 4980736 body bytes, buffer has 0' }));
});

test('a tag buffer without the trailing previous-tag size is enough; reserved high bits do not change the type', () => {
  const tag = readFlvTag(Buffer.from([
    0xc8, // reserved bits 11, filter 0, type 8 (audio)
    0x00, 0x00, 0x02, // data size 2
    0x12, 0x34, 0x56, // timestamp bits 23..0
    0x00, // extension
    0x00, 0x00, 0x00, // stream id
    0xaf, 0x01, // body, nothing after it
  ]))!;
  expect({ type: tag.type, timestamp: tag.timestamp, body: [...tag.body] }).toEqual({ type: 8, timestamp: 0x123456, body: [0xaf, 0x01] });
  expect(() => readFlvTag(Buffer.from([0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(
    expect.objectContaining({ code: 'truncated', message: 'FLV tag header is 10 bytes' }));
});

test('only all three bytes "FLV" make the header: a tag whose size bytes happen to be "L" or "V" is a tag', () => {
  /** a tag buffer of `size` body bytes whose first byte is `b0` */
  const tag = (b0: number, size: number): Buffer => {
    const buf = Buffer.alloc(11 + size, 0x01);
    buf[0] = b0;
    buf.writeUIntBE(size, 1, 3); // DataSize: bytes 1..3
    return buf;
  };
  expect(readFlvTag(tag(0x09, 0x005600))!.type).toBe(9); // a 22 KB video frame: byte 2 is 'V' (0x56)
  expect(readFlvTag(tag(0x09, 0x4c5600))!.type).toBe(9); // bytes 1..2 are 'L' 'V'
  expect(readFlvTag(tag(0x46, 0x005600))!.type).toBe(6); // bytes 0 and 2 are 'F' and 'V'
  expect(readFlvTag(tag(0x46, 0x000000))!.type).toBe(6); // byte 0 is 'F'
});

test('every refusal names its reason', () => {
  const reason = (buf: Buffer): string => {
    try {
      readFlvTag(buf);
      return 'accepted';
    } catch (err) {
      return `${(err as FlvParseError).code}: ${(err as Error).message}`;
    }
  };
  expect([
    reason(Buffer.from([0x46, 0x4c, 0x56])), // 'FLV' and nothing else
    reason(Buffer.from([0x29, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])), // filter bit
  ]).toEqual([
    'truncated: FLV header is 3 bytes',
    'encrypted: encrypted (filtered) FLV tags are not supported',
  ]);
});
