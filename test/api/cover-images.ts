// Test images for the cover upload: a real JPEG (ffmpeg) and PNG, each with the metadata a phone or editor adds.
import { execFileSync } from 'node:child_process';
import { pngChunk, solidPng } from '../web/png';

export { pngChunk };

/** A JPEG segment: marker, length (counting itself), payload. */
export function jpegSegment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** APP1 EXIF, little-endian, IFD0 with Orientation (0x0112) and an ASCII GPS-like note in ImageDescription (0x010e). */
export function exifApp1(orientation: number, note: string): Buffer {
  const text = Buffer.from(note + '\0', 'latin1');
  const tiff = Buffer.alloc(8 + 2 + 2 * 12 + 4 + text.length);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // IFD0 offset
  tiff.writeUInt16LE(2, 8); // two entries
  tiff.writeUInt16LE(0x010e, 10); tiff.writeUInt16LE(2, 12); tiff.writeUInt32LE(text.length, 14); tiff.writeUInt32LE(8 + 2 + 24 + 4, 18);
  tiff.writeUInt16LE(0x0112, 22); tiff.writeUInt16LE(3, 24); tiff.writeUInt32LE(1, 26); tiff.writeUInt16LE(orientation, 30);
  tiff.writeUInt32LE(0, 34); // no next IFD
  text.copy(tiff, 38);
  return jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
}

/** ffmpeg's 160×90 testsrc frame as a baseline JPEG (JFIF APP0 and a "Lavc" comment included). */
export function plainJpeg(size = '160x90'): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=${size}`, '-frames:v', '1', '-f', 'mjpeg', '-'],
    { maxBuffer: 16 * 1024 * 1024 });
}

export const SECRET_NOTE = 'GPS 39.9042N 116.4074E taken at home';

/** A phone photo: EXIF (orientation 6 and the note) and a comment after SOI, and bytes appended after EOI. */
export function phoneJpeg(): Buffer {
  const jpeg = plainJpeg();
  return Buffer.concat([jpeg.subarray(0, 2), exifApp1(6, SECRET_NOTE), jpegSegment(0xfe, Buffer.from('secret comment')),
    jpeg.subarray(2), Buffer.from('PK trailing zip')]);
}

/** A 64×36 PNG with tEXt, eXIf and tIME chunks before its IDAT. */
export function taggedPng(rgb: [number, number, number] = [200, 60, 140]): Buffer {
  const png = solidPng(64, 36, rgb);
  const ihdrEnd = 8 + 12 + 13;
  return Buffer.concat([png.subarray(0, ihdrEnd),
    pngChunk('tEXt', Buffer.from(`Comment\0${SECRET_NOTE}`, 'latin1')),
    pngChunk('eXIf', Buffer.from('MM\0*\0\0\0\x08\0\0\0\0\0\0', 'latin1')),
    pngChunk('tIME', Buffer.from([0x07, 0xea, 12, 2, 7, 0, 0])),
    png.subarray(ihdrEnd)]);
}

/** The chunk types of a PNG, in order. */
export function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) types.push(png.toString('latin1', at + 4, at + 8));
  return types;
}

/** The markers of a JPEG's segments up to its first scan. */
export function jpegMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  for (let at = 2; at < jpeg.length;) {
    const marker = jpeg[at + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return markers;
}
