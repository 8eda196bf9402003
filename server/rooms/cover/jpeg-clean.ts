// JPEG covers without metadata: the segments a decoder needs (frame, Huffman and quantisation tables, restart
// interval, scans) are kept byte for byte; every APPn (EXIF with its GPS position and thumbnail, XMP, ICC,
// JFIF thumbnails, maker notes) and every comment goes. Two things survive: Adobe's APP14, which tells the
// decoder the colour transform, and the EXIF orientation, re-written as a 26-byte EXIF holding nothing else,
// so a phone photo is not shown on its side.
import type { CleanImage } from './png-clean';
import { COVER_MAX_SIDE, damaged, tooManyPixels } from './cover-errors';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP1 = 0xe1;
const APP14 = 0xee;
/** start-of-frame markers (C0–CF without DHT C4, JPG C8 and DAC CC) carry the picture's size */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** frame, tables (DHT C4, DAC CC, DQT DB), DNL DC, DRI DD and the scan: what decoding needs */
const isNeeded = (m: number) => (m >= 0xc0 && m <= 0xcf && m !== 0xc8) || m === 0xdb || m === 0xdc || m === 0xdd || m === SOS;

export function cleanJpeg(jpeg: Buffer): CleanImage {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) throw damaged('JPEG');
  const kept: Buffer[] = [];
  let orientation = 1;
  let size: { width: number; height: number } | null = null;
  let scans = 0;
  for (let at = 2; ;) {
    if (at >= jpeg.length || jpeg[at] !== 0xff) throw damaged('JPEG');
    while (jpeg[at] === 0xff) at++; // fill bytes before a marker
    if (at >= jpeg.length) throw damaged('JPEG');
    const marker = jpeg[at++]!;
    if (marker === EOI) break; // trailing bytes after the image (appended files) go too
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === SOI) throw damaged('JPEG');
    if (at + 2 > jpeg.length) throw damaged('JPEG');
    const length = jpeg.readUInt16BE(at); // counts its own two bytes, not the marker's
    const end = at + length;
    if (length < 2 || end > jpeg.length) throw damaged('JPEG');
    const segment = jpeg.subarray(at - 2, end);
    if (isSof(marker)) {
      if (length < 8) throw damaged('JPEG');
      size = { height: jpeg.readUInt16BE(at + 3), width: jpeg.readUInt16BE(at + 5) };
      if (size.width === 0 || size.height === 0) throw damaged('JPEG');
      if (size.width > COVER_MAX_SIDE || size.height > COVER_MAX_SIDE) throw tooManyPixels(size.width, size.height);
    }
    if (marker === APP1) orientation = exifOrientation(jpeg.subarray(at + 2, end)) ?? orientation;
    if (isNeeded(marker) || (marker === APP14 && jpeg.toString('latin1', at + 2, at + 7) === 'Adobe')) kept.push(segment);
    at = end;
    if (marker === SOS) {
      // entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart (RST0–7)
      const start = at;
      while (at < jpeg.length) {
        if (jpeg[at] !== 0xff) { at++; continue; }
        const next = jpeg[at + 1];
        if (next === 0x00 || (next !== undefined && next >= 0xd0 && next <= 0xd7)) { at += 2; continue; }
        break;
      }
      if (at >= jpeg.length) throw damaged('JPEG');
      kept.push(jpeg.subarray(start, at));
      scans++;
    }
  }
  if (!size || scans === 0) throw damaged('JPEG');
  const head: Buffer[] = [Buffer.from([0xff, SOI])];
  if (orientation !== 1) head.push(orientationExif(orientation));
  return { bytes: Buffer.concat([...head, ...kept, Buffer.from([0xff, EOI])]), ...size };
}

/** The Orientation tag (0x0112) of an APP1 EXIF payload's first IFD, or null when there is none or it is broken. */
export function exifOrientation(app1: Buffer): number | null {
  if (app1.length < 14 || app1.toString('latin1', 0, 6) !== 'Exif\0\0') return null;
  const tiff = app1.subarray(6);
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const u16 = (o: number) => (order === 'II' ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (order === 'II' ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > tiff.length) return null;
    // tag 0x0112, type 3 (SHORT), count 1: the value sits in the entry's first two value bytes
    if (u16(e) === 0x0112 && u16(e + 2) === 3 && u32(e + 4) === 1) {
      const value = u16(e + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** APP1 with an EXIF that holds the orientation and nothing else (big-endian TIFF, one IFD, one entry). */
export function orientationExif(orientation: number): Buffer {
  const tiff = Buffer.from([
    0x4d, 0x4d, 0x00, 0x2a, // "MM", 42: big-endian TIFF
    0x00, 0x00, 0x00, 0x08, // IFD0 right after this header
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, // Orientation, SHORT, count 1
    0x00, orientation, 0x00, 0x00, // its value, padded to four bytes
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, APP1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}
