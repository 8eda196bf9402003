// The cover cleaners at their edges: the exact limits (4096 px, IHDR of 13 bytes, 8-byte SOF), the refusal texts a
// host reads, and the EXIF entries that are almost an orientation. test/api/cover-clean.test.ts has the main cases.
import { cleanCover } from '../../server/rooms/cover/clean-cover';
import { cleanJpeg, exifOrientation } from '../../server/rooms/cover/jpeg-clean';
import { cleanPng } from '../../server/rooms/cover/png-clean';
import { jpegSegment, pngChunk } from '../api/cover-images';

const bytes = (...b: number[]) => Buffer.from(b);
const SOI = bytes(0xff, 0xd8);
const EOI = bytes(0xff, 0xd9);
const u16 = (n: number) => [n >> 8, n & 0xff];
/** a baseline frame header of `width`×`height` with one component */
const sof = (width: number, height: number, marker = 0xc0) => jpegSegment(marker, bytes(8, ...u16(height), ...u16(width), 1, 1, 0x11, 0));
const SOS = jpegSegment(0xda, bytes(1, 1, 0x00, 0, 63, 0));
const SCAN = bytes(0x12, 0x34);
const jpeg = (...parts: Buffer[]) => Buffer.concat([SOI, ...parts, EOI]);
const damagedJpeg = { kind: 'invalid', code: 'cover_damaged', message: 'The JPEG image is damaged or truncated.' };
const damagedPng = { kind: 'invalid', code: 'cover_damaged', message: 'The PNG image is damaged or truncated.' };

describe('JPEG', () => {
  test('4096 pixels on a side is allowed; one more either way is refused with the size in the message', () => {
    expect(cleanJpeg(jpeg(sof(4096, 4096), SOS, SCAN))).toMatchObject({ width: 4096, height: 4096 });
    expect(() => cleanJpeg(jpeg(sof(16, 4097), SOS, SCAN))).toThrow(expect.objectContaining({
      kind: 'invalid', code: 'cover_dimensions',
      message: 'The image is 16×4097 pixels; covers may be at most 4096 pixels on a side.',
    }));
    expect(() => cleanJpeg(jpeg(sof(4097, 16), SOS, SCAN))).toThrow(expect.objectContaining({ code: 'cover_dimensions' }));
  });

  test('width and height are read from their own places in the frame header', () => {
    expect(cleanJpeg(jpeg(sof(300, 2), SOS, SCAN))).toMatchObject({ width: 300, height: 2 });
    expect(cleanJpeg(jpeg(sof(2, 300, 0xc1), SOS, SCAN))).toMatchObject({ width: 2, height: 300 });
  });

  test.each([
    ['a frame header shorter than 8 bytes', jpeg(jpegSegment(0xc0, bytes(8, 0, 2, 0, 3)), SOS, SCAN)],
    ['a zero height', jpeg(sof(3, 0), SOS, SCAN)],
    ['a TEM marker', jpeg(bytes(0xff, 0x01), sof(3, 2), SOS, SCAN)],
    ['a second SOI', jpeg(bytes(0xff, 0xd8), sof(3, 2), SOS, SCAN)],
    ['RST7 outside a scan', jpeg(bytes(0xff, 0xd7), sof(3, 2), SOS, SCAN)],
    ['only fill bytes after the scan', Buffer.concat([SOI, sof(3, 2), SOS, SCAN, bytes(0xff, 0xff)])],
    ['a marker without its length', Buffer.concat([SOI, bytes(0xff, 0xdb, 0x00)])],
    ['the end of file right after SOI', SOI],
    ['three bytes', bytes(0xff, 0xd8, 0xff)],
    ['a scan with a stuffed byte cut at the end', Buffer.concat([SOI, sof(3, 2), SOS, bytes(0x12, 0xff)])],
  ])('%s is damaged, with the text the host reads', (_, input) => {
    expect(() => cleanJpeg(input)).toThrow(expect.objectContaining(damagedJpeg));
  });

  test('a length of exactly 2 (an empty segment) and one ending at the last byte are fine', () => {
    const empty = bytes(0xff, 0xdb, 0x00, 0x02);
    expect(cleanJpeg(jpeg(empty, sof(3, 2), SOS, SCAN)).bytes).toEqual(jpeg(empty, sof(3, 2), SOS, SCAN));
  });

  test('the scan ends at the first marker that is not stuffing or RST0–RST7: RST0 and RST7 stay, 0xFFD8 ends it', () => {
    const scan = bytes(0x01, 0xff, 0xd0, 0x02, 0xff, 0xd7, 0x03);
    expect(cleanJpeg(jpeg(sof(3, 2), SOS, scan)).bytes).toEqual(jpeg(sof(3, 2), SOS, scan));
    // a DHT after the scan is a segment again, not scan data
    const dht = jpegSegment(0xc4, bytes(0x00, ...Array(16).fill(0)));
    expect(cleanJpeg(jpeg(sof(3, 2), SOS, SCAN, dht, SOS, SCAN)).bytes).toEqual(jpeg(sof(3, 2), SOS, SCAN, dht, SOS, SCAN));
  });

  test('every table and frame marker is kept; JPG (C8) and every APPn but Adobe go', () => {
    const kept = [0xc4, 0xcc, 0xdb, 0xdc, 0xdd].map((m) => jpegSegment(m, bytes(0, 0)));
    const dropped = [0xc8, 0xe0, 0xe5, 0xef, 0xfe].map((m) => jpegSegment(m, bytes(0, 0)));
    const notAdobe = jpegSegment(0xee, Buffer.from('Adobx\0\0', 'latin1'));
    expect(cleanJpeg(jpeg(...dropped, notAdobe, ...kept, sof(3, 2), SOS, SCAN)).bytes).toEqual(jpeg(...kept, sof(3, 2), SOS, SCAN));
    // every frame type carries the size (SOF1–SOF3, SOF5–SOF7, SOF9–SOF11, SOF13–SOF15)
    for (const m of [0xc1, 0xc3, 0xc5, 0xc7, 0xc9, 0xcb, 0xcd, 0xcf]) {
      expect(cleanJpeg(jpeg(sof(5, 7, m), SOS, SCAN))).toMatchObject({ width: 5, height: 7 });
    }
    // DHT, JPG and DAC are not frames: no size from them, so no frame at all
    for (const m of [0xc4, 0xc8, 0xcc]) expect(() => cleanJpeg(jpeg(sof(5, 7, m), SOS, SCAN))).toThrow(expect.objectContaining(damagedJpeg));
  });

  test('the last APP1 with an orientation wins; one without keeps the earlier value', () => {
    const exif = (o: number) => jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffBE([[0x0112, 3, 1, o]])]));
    const xmp = jpegSegment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'));
    const out = cleanJpeg(jpeg(exif(6), xmp, sof(3, 2), SOS, SCAN));
    expect(exifOrientation(out.bytes.subarray(6, 6 + 32))).toBe(6);
    expect(exifOrientation(cleanJpeg(jpeg(exif(6), exif(3), sof(3, 2), SOS, SCAN)).bytes.subarray(6, 6 + 32))).toBe(3);
  });
});

/** Exif payload body: a big-endian TIFF with one IFD of [tag, type, count, value] entries */
function tiffBE(entries: Array<[number, number, number, number]>, ifdAt = 8): Buffer {
  const t = Buffer.alloc(ifdAt + 2 + entries.length * 12 + 4);
  t.write('MM', 0, 'latin1');
  t.writeUInt16BE(42, 2);
  t.writeUInt32BE(ifdAt, 4);
  t.writeUInt16BE(entries.length, ifdAt);
  entries.forEach(([tag, type, count, value], i) => {
    const e = ifdAt + 2 + i * 12;
    t.writeUInt16BE(tag, e);
    t.writeUInt16BE(type, e + 2);
    t.writeUInt32BE(count, e + 4);
    t.writeUInt16BE(value, e + 8);
  });
  return t;
}
const exifBody = (tiff: Buffer) => Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);

describe('EXIF orientation', () => {
  test('only the Orientation tag as a single SHORT, 1–8, counts; it may follow other entries', () => {
    expect(exifOrientation(exifBody(tiffBE([[0x010e, 2, 4, 0], [0x0112, 3, 1, 8]])))).toBe(8);
    expect(exifOrientation(exifBody(tiffBE([[0x0112, 3, 1, 1]])))).toBe(1);
    expect(exifOrientation(exifBody(tiffBE([[0x0112, 4, 1, 6]])))).toBeNull(); // LONG, not SHORT
    expect(exifOrientation(exifBody(tiffBE([[0x0112, 3, 2, 6]])))).toBeNull(); // two values
    expect(exifOrientation(exifBody(tiffBE([[0x0113, 3, 1, 6]])))).toBeNull(); // another tag
    expect(exifOrientation(exifBody(tiffBE([[0x0112, 3, 1, 0]])))).toBeNull();
  });

  test('a broken header or IFD gives null, never a throw', () => {
    const good = tiffBE([[0x0112, 3, 1, 6]]);
    const magic = Buffer.from(good);
    magic.writeUInt16BE(43, 2);
    expect(exifOrientation(exifBody(magic))).toBeNull();
    const order = Buffer.from(good);
    order.write('XX', 0, 'latin1');
    expect(exifOrientation(exifBody(order))).toBeNull();
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\x01', 'latin1'), good]))).toBeNull();
    // an entry count running past the end, with no orientation before it
    const many = Buffer.from(tiffBE([[0x0113, 3, 1, 6]]));
    many.writeUInt16BE(5, 8);
    expect(exifOrientation(exifBody(many))).toBeNull();
    // the IFD ending exactly at the payload's end is still read; one byte short is not
    expect(exifOrientation(exifBody(good.subarray(0, good.length - 4)))).toBe(6);
    expect(exifOrientation(exifBody(good.subarray(0, good.length - 5)))).toBeNull();
    expect(exifOrientation(Buffer.from('Exif\0\0MM\0\x2a\0\0', 'latin1'))).toBeNull(); // under 14 bytes
  });
});

const SIG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const ihdr = (w: number, h: number) => {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(w, 0);
  d.writeUInt32BE(h, 4);
  d.set([8, 2, 0, 0, 0], 8);
  return pngChunk('IHDR', d);
};
const IDAT = pngChunk('IDAT', bytes(0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01));
const IEND = pngChunk('IEND', Buffer.alloc(0));
const png = (...parts: Buffer[]) => Buffer.concat([SIG, ...parts]);

describe('PNG', () => {
  test('4096 pixels on a side is allowed; 4097 is refused with the size; width and height in their places', () => {
    expect(cleanPng(png(ihdr(4096, 4096), IDAT, IEND))).toMatchObject({ width: 4096, height: 4096 });
    expect(cleanPng(png(ihdr(7, 300), IDAT, IEND))).toMatchObject({ width: 7, height: 300 });
    expect(() => cleanPng(png(ihdr(4097, 1), IDAT, IEND))).toThrow(expect.objectContaining({
      code: 'cover_dimensions', message: 'The image is 4097×1 pixels; covers may be at most 4096 pixels on a side.',
    }));
    expect(() => cleanPng(png(ihdr(1, 4097), IDAT, IEND))).toThrow(expect.objectContaining({ code: 'cover_dimensions' }));
  });

  test.each([
    ['an IHDR of 12 bytes', png(pngChunk('IHDR', Buffer.alloc(12, 1)), IDAT, IEND)],
    ['a zero width', png(ihdr(0, 1), IDAT, IEND)],
    ['a type with a digit', png(ihdr(1, 1), pngChunk('tEX1', bytes(1)), IDAT, IEND)],
    ['a length over 2³¹−1', png(ihdr(1, 1), bytes(0x80, 0, 0, 0), Buffer.from('IDAT'), Buffer.alloc(8))],
    ['only the signature', SIG],
    ['seven bytes', SIG.subarray(0, 7)],
    ['a chunk cut by one byte', png(ihdr(1, 1), IDAT, IEND.subarray(0, IEND.length - 1))],
    ['a bad CRC on IEND', png(ihdr(1, 1), IDAT, Buffer.concat([IEND.subarray(0, 8), bytes(0, 0, 0, 0)]))],
  ])('%s is damaged, with the text the host reads', (_, input) => {
    expect(() => cleanPng(input)).toThrow(expect.objectContaining(damagedPng));
  });

  test('an unknown ancillary chunk (lower-case first letter) is dropped, an unknown critical one refused', () => {
    expect(cleanPng(png(ihdr(1, 1), pngChunk('zzzz', bytes(1)), IDAT, IEND)).bytes).toEqual(png(ihdr(1, 1), IDAT, IEND));
    expect(cleanPng(png(ihdr(1, 1), pngChunk('aBCD', bytes(1)), IDAT, IEND)).bytes).toEqual(png(ihdr(1, 1), IDAT, IEND));
    expect(() => cleanPng(png(ihdr(1, 1), pngChunk('Zzzz', bytes(1)), IDAT, IEND))).toThrow(expect.objectContaining(damagedPng));
  });
});

describe('cleanCover', () => {
  const aPng = png(ihdr(2, 3), IDAT, IEND);
  const aJpeg = jpeg(sof(3, 2), SOS, SCAN);
  test('the refusal says what the body is and what it was sent as', () => {
    expect(() => cleanCover(aPng, 'image/jpeg')).toThrow(expect.objectContaining({
      message: 'The body is a PNG image, but it was sent as image/jpeg.',
    }));
    expect(() => cleanCover(aJpeg, 'image/png')).toThrow(expect.objectContaining({
      kind: 'unsupported_media', code: 'cover_type_mismatch', message: 'The body is a JPEG image, but it was sent as image/png.',
    }));
    expect(() => cleanCover(Buffer.from('<svg/>'), 'image/png')).toThrow(expect.objectContaining({
      message: 'The body is not a JPEG or PNG image.',
    }));
  });

  test('each type goes to its own cleaner and comes back with its size', () => {
    expect(cleanCover(aJpeg, 'image/jpeg')).toEqual({ bytes: aJpeg, width: 3, height: 2, type: 'image/jpeg' });
    expect(cleanCover(aPng, 'image/png')).toEqual({ bytes: aPng, width: 2, height: 3, type: 'image/png' });
  });
});
