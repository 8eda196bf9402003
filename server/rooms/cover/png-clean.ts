// PNG covers without metadata: only the chunks that make the picture (IHDR, PLTE, IDAT, IEND, and tRNS for
// transparency) are kept, byte for byte. Text, EXIF (eXIf), timestamps and animation chunks go.
import { COVER_MAX_SIDE, damaged, tooManyPixels } from './cover-errors';
import { crc32 } from 'node:zlib'; // the PNG CRC (ISO 3309)

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const KEPT = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS']);

export interface CleanImage { bytes: Buffer; width: number; height: number }

export function cleanPng(png: Buffer): CleanImage {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw damaged('PNG');
  const kept: Buffer[] = [PNG_SIGNATURE];
  let width = 0;
  let height = 0;
  let idat = false;
  for (let at = 8; ;) {
    // length (4), type (4), data (length), CRC of type + data (4)
    if (at + 12 > png.length) throw damaged('PNG');
    const length = png.readUInt32BE(at);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > png.length) throw damaged('PNG');
    const type = png.toString('latin1', at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type) || crc32(png.subarray(at + 4, end - 4)) !== png.readUInt32BE(end - 4)) throw damaged('PNG');
    if (at === 8) {
      if (type !== 'IHDR' || length !== 13) throw damaged('PNG');
      width = png.readUInt32BE(at + 8);
      height = png.readUInt32BE(at + 12);
      if (width === 0 || height === 0) throw damaged('PNG');
      if (width > COVER_MAX_SIDE || height > COVER_MAX_SIDE) throw tooManyPixels(width, height);
    }
    if (KEPT.has(type)) kept.push(png.subarray(at, end));
    // an unknown critical chunk (upper-case first letter) cannot be skipped by a decoder
    else if (type[0]! <= 'Z') throw damaged('PNG');
    if (type === 'IDAT') idat = true;
    at = end;
    if (type === 'IEND') break; // anything after IEND is not part of the image
  }
  if (!idat) throw damaged('PNG');
  return { bytes: Buffer.concat(kept), width, height };
}
