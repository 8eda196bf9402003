// Byte tests for the one FLV tag header reader (probe, pace, fan-out classifier and HLS tag reader use it).
import { flvTagBodySize, flvTagTimestamp, isFlvFileHeader } from '../../../server/media/flv/tag-header';

const header = (bytes: number[]): Buffer => Buffer.from([...bytes, 0, 0, 0]);

test('body size is the 24-bit big-endian field after the type', () => {
  expect(flvTagBodySize(header([0x09, 0x00, 0x00, 0x00, 0, 0, 0, 0]))).toBe(0);
  expect(flvTagBodySize(header([0x09, 0x01, 0x02, 0x03, 0, 0, 0, 0]))).toBe(0x010203);
  expect(flvTagBodySize(header([0x08, 0xff, 0xff, 0xff, 0, 0, 0, 0]))).toBe(0xffffff);
});

test('timestamp: bits 23..0, then the extension byte as bits 31..24, never negative', () => {
  expect(flvTagTimestamp(header([0x09, 0, 0, 0, 0x00, 0x00, 0x28, 0x00]))).toBe(40);
  expect(flvTagTimestamp(header([0x09, 0, 0, 0, 0x12, 0x34, 0x56, 0x01]))).toBe(0x01123456);
  // past 2^31 a shift of the extension byte would go negative
  expect(flvTagTimestamp(header([0x09, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]))).toBe(0xffffffff);
  expect(flvTagTimestamp(header([0x09, 0, 0, 0, 0x00, 0x00, 0x00, 0x80]))).toBe(0x80000000);
});

test('the FLV file header is told from tags by its signature only', () => {
  expect(isFlvFileHeader(Buffer.from('FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00', 'latin1'))).toBe(true);
  expect(isFlvFileHeader(Buffer.from('FLV', 'latin1'))).toBe(true);
  expect(isFlvFileHeader(Buffer.from('FL', 'latin1'))).toBe(false);
  expect(isFlvFileHeader(Buffer.from('FLW', 'latin1'))).toBe(false);
  expect(isFlvFileHeader(header([0x09, 0x4c, 0x56, 0, 0, 0, 0, 0]))).toBe(false);
});
