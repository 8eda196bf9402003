// The cover cleaners byte by byte: what a JPEG and a PNG keep, what they lose, and what counts as damaged.
import { cleanCover, sniffImage } from '../../server/rooms/cover/clean-cover';
import { cleanJpeg, exifOrientation, orientationExif } from '../../server/rooms/cover/jpeg-clean';
import { cleanPng } from '../../server/rooms/cover/png-clean';
import { exifApp1, jpegSegment, pngChunk } from './cover-images';

const bytes = (...b: number[]) => Buffer.from(b);
const SOI = bytes(0xff, 0xd8);
const EOI = bytes(0xff, 0xd9);
/** SOF0 of a 3×2 picture: precision 8, height 2, width 3, one component (id 1, sampling 1×1, table 0) */
const SOF0 = jpegSegment(0xc0, bytes(8, 0x00, 0x02, 0x00, 0x03, 1, 1, 0x11, 0));
const DQT = jpegSegment(0xdb, Buffer.concat([bytes(0), Buffer.alloc(64, 1)])); // table 0, 8-bit, all ones
const DHT = jpegSegment(0xc4, Buffer.concat([bytes(0x00), bytes(1, ...Array(15).fill(0)), bytes(0)])); // DC table 0: one code
/** SOS: one component (id 1, tables 0/0), spectral 0–63, approximation 0 */
const SOS = jpegSegment(0xda, bytes(1, 1, 0x00, 0, 63, 0));
/** entropy-coded bytes with a stuffed 0xFF00 and a restart marker RST3 inside: both belong to the scan */
const SCAN = bytes(0x12, 0xff, 0x00, 0x34, 0xff, 0xd3, 0x56);
const COM = jpegSegment(0xfe, Buffer.from('made by a camera'));
const APP0 = jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x02\0\0\x01\0\x01\0\0', 'latin1'));
const APP2_ICC = jpegSegment(0xe2, Buffer.from('ICC_PROFILE\0\x01\x01rest', 'latin1'));
const APP14_ADOBE = jpegSegment(0xee, Buffer.from('Adobe\0\x64\0\0\0\0\x01', 'latin1'));

test('a JPEG keeps SOI, frame, tables, scan (with its stuffing and restarts) and EOI; APPn but Adobe, COM and trailers go', () => {
  const input = Buffer.concat([SOI, APP0, exifApp1(1, 'GPS here'), COM, APP2_ICC, APP14_ADOBE, DQT, SOF0, DHT, SOS, SCAN, EOI, Buffer.from('trailer')]);
  const out = cleanJpeg(input);
  expect(out.bytes).toEqual(Buffer.concat([SOI, APP14_ADOBE, DQT, SOF0, DHT, SOS, SCAN, EOI]));
  expect([out.width, out.height]).toEqual([3, 2]);
});

test('fill bytes before a marker are dropped, a progressive JPEG keeps every scan with the tables between them', () => {
  const input = Buffer.concat([SOI, bytes(0xff, 0xff), DQT, SOF0, DHT, SOS, SCAN, DHT, SOS, bytes(0x77), EOI]);
  expect(cleanJpeg(input).bytes).toEqual(Buffer.concat([SOI, DQT, SOF0, DHT, SOS, SCAN, DHT, SOS, bytes(0x77), EOI]));
});

test('an EXIF orientation other than 1 is kept as a 26-byte EXIF with only that tag', () => {
  const out = cleanJpeg(Buffer.concat([SOI, exifApp1(8, 'GPS 1.2N'), DQT, SOF0, DHT, SOS, SCAN, EOI]));
  expect(out.bytes.subarray(0, 2 + 4 + 6 + 26)).toEqual(Buffer.concat([SOI, orientationExif(8)]));
  expect(out.bytes.includes(Buffer.from('GPS'))).toBe(false);
  expect(orientationExif(8)).toEqual(Buffer.concat([
    bytes(0xff, 0xe1, 0x00, 0x22), // APP1, length 34 = 2 + 6 + 26
    Buffer.from('Exif\0\0', 'latin1'),
    bytes(0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08), // "MM", 42, IFD0 at 8
    bytes(0x00, 0x01), // one entry
    bytes(0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00), // Orientation SHORT ×1 = 8
    bytes(0x00, 0x00, 0x00, 0x00), // no next IFD
  ]));
  expect(exifOrientation(orientationExif(8).subarray(4))).toBe(8);
  expect(exifOrientation(exifApp1(3, 'x').subarray(4))).toBe(3); // little-endian EXIF
  expect(exifOrientation(exifApp1(9, 'x').subarray(4))).toBeNull(); // not an orientation
  expect(exifOrientation(Buffer.from('Exif\0\0MM\0\x2a\0\0\xff\xff', 'latin1'))).toBeNull(); // IFD past the end
  expect(exifOrientation(Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'))).toBeNull(); // XMP, not EXIF
  // orientation 1 needs no EXIF at all
  expect(cleanJpeg(Buffer.concat([SOI, exifApp1(1, 'x'), DQT, SOF0, DHT, SOS, SCAN, EOI])).bytes.subarray(0, 4)).toEqual(Buffer.concat([SOI, DQT.subarray(0, 2)]));
});

test.each([
  ['no SOI', Buffer.concat([DQT, SOF0, SOS, SCAN, EOI])],
  ['no frame', Buffer.concat([SOI, DQT, DHT, SOS, SCAN, EOI])],
  ['no scan', Buffer.concat([SOI, DQT, SOF0, DHT, EOI])],
  ['cut inside the scan', Buffer.concat([SOI, DQT, SOF0, DHT, SOS, SCAN])],
  ['cut inside a segment', Buffer.concat([SOI, DQT, SOF0.subarray(0, 6)])],
  ['a segment longer than the file', Buffer.concat([SOI, bytes(0xff, 0xdb, 0xff, 0xff, 0)])],
  ['a length under 2', Buffer.concat([SOI, bytes(0xff, 0xdb, 0x00, 0x01), EOI])],
  ['a restart outside a scan', Buffer.concat([SOI, bytes(0xff, 0xd0), DQT, SOF0, DHT, SOS, SCAN, EOI])],
  ['garbage between segments', Buffer.concat([SOI, bytes(0x00), DQT, SOF0, DHT, SOS, SCAN, EOI])],
  ['a zero width', Buffer.concat([SOI, jpegSegment(0xc0, bytes(8, 0, 2, 0, 0, 1, 1, 0x11, 0)), SOS, SCAN, EOI])],
])('a JPEG with %s is damaged (400 cover_damaged)', (_, input) => {
  expect(() => cleanJpeg(input)).toThrow(expect.objectContaining({ kind: 'invalid', code: 'cover_damaged' }));
});

test('a JPEG wider than 4096 pixels is refused by its frame header', () => {
  const wide = jpegSegment(0xc2, bytes(8, 0x00, 0x10, 0x10, 0x01, 1, 1, 0x11, 0)); // progressive SOF2, 4097×16
  expect(() => cleanJpeg(Buffer.concat([SOI, wide, SOS, SCAN, EOI]))).toThrow(expect.objectContaining({ code: 'cover_dimensions' }));
});

const SIG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** IHDR: 2×1, depth 8, colour type 3 (palette), deflate, filter 0, no interlace */
const IHDR = pngChunk('IHDR', bytes(0, 0, 0, 2, 0, 0, 0, 1, 8, 3, 0, 0, 0));
const PLTE = pngChunk('PLTE', bytes(255, 0, 0, 0, 0, 255));
const TRNS = pngChunk('tRNS', bytes(0x80));
const IDAT = pngChunk('IDAT', bytes(0x78, 0x9c, 0x63, 0x60, 0x60, 0x04, 0x00, 0x00, 0x04, 0x00, 0x02));
const IEND = pngChunk('IEND', Buffer.alloc(0));

test('a PNG keeps IHDR, PLTE, tRNS, IDAT and IEND; text, EXIF, time, colour profile, animation and trailers go', () => {
  const input = Buffer.concat([SIG, IHDR, pngChunk('iCCP', Buffer.from('p\0\0x')), pngChunk('tEXt', Buffer.from('Author\0me')),
    PLTE, TRNS, pngChunk('acTL', bytes(0, 0, 0, 1, 0, 0, 0, 0)), IDAT, pngChunk('eXIf', Buffer.from('MM')),
    pngChunk('zTXt', Buffer.from('k\0\0x')), IDAT, IEND, Buffer.from('after the end')]);
  const out = cleanPng(input);
  expect(out.bytes).toEqual(Buffer.concat([SIG, IHDR, PLTE, TRNS, IDAT, IDAT, IEND]));
  expect([out.width, out.height]).toEqual([2, 1]);
});

test.each([
  ['a bad signature', Buffer.concat([bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00), IHDR, IDAT, IEND])],
  ['IHDR not first', Buffer.concat([SIG, PLTE, IHDR, IDAT, IEND])],
  ['a bad CRC', Buffer.concat([SIG, IHDR, Buffer.concat([IDAT.subarray(0, -1), bytes(IDAT[IDAT.length - 1]! ^ 1)]), IEND])],
  ['no IDAT', Buffer.concat([SIG, IHDR, IEND])],
  ['no IEND', Buffer.concat([SIG, IHDR, IDAT])],
  ['an unknown critical chunk', Buffer.concat([SIG, IHDR, pngChunk('ABCD', bytes(1)), IDAT, IEND])],
  ['a chunk longer than the file', Buffer.concat([SIG, IHDR, bytes(0, 1, 0, 0), Buffer.from('IDAT'), bytes(1, 2, 3)])],
  ['a zero height', Buffer.concat([SIG, pngChunk('IHDR', bytes(0, 0, 0, 2, 0, 0, 0, 0, 8, 3, 0, 0, 0)), IDAT, IEND])],
])('a PNG with %s is damaged', (_, input) => {
  expect(() => cleanPng(input)).toThrow(expect.objectContaining({ kind: 'invalid', code: 'cover_damaged' }));
});

test('sniffing reads magic numbers only; a body labelled with the other type is 415', () => {
  expect(sniffImage(Buffer.concat([SIG, IHDR]))).toBe('image/png');
  expect(sniffImage(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
  expect([sniffImage(bytes(0xff, 0xd8)), sniffImage(SIG.subarray(0, 7)), sniffImage(Buffer.from('GIF89a')), sniffImage(Buffer.alloc(0))])
    .toEqual([null, null, null, null]);
  const png = Buffer.concat([SIG, IHDR, IDAT, IEND]);
  expect(cleanCover(png, 'image/png').type).toBe('image/png');
  expect(() => cleanCover(png, 'image/jpeg')).toThrow(expect.objectContaining({ kind: 'unsupported_media', code: 'cover_type_mismatch' }));
  expect(() => cleanCover(Buffer.from('GIF89a'), 'image/png')).toThrow(expect.objectContaining({ kind: 'unsupported_media', code: 'cover_unsupported_type' }));
});

