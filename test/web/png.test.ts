// The PNG decoder and blankness measure the screenshot checks rely on, on hand-built images.
import { deflateSync } from 'node:zlib';
import { decodePng, measureRendering, solidPng } from './png';

/** Builds a PNG from raw scanlines (each already prefixed with its filter byte). CRCs are not checked by the decoder. */
function png(width: number, height: number, colourType: number, scanlines: number[][]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, data, Buffer.alloc(4)]); // CRC left zero
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType; // 2 = RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from(scanlines.flat()))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('decodes every scanline filter of an RGB image', () => {
  // 2×3 RGB; pixel values chosen so each filter must be undone exactly
  const image = png(2, 3, 2, [
    [0, /* none */ 10, 20, 30, /* */ 40, 50, 60],
    [1, /* sub: left + x */ 5, 5, 5, /* 5+5=10 … */ 5, 5, 5],
    [2, /* up: above + x */ 1, 2, 3, /* 5+1 … */ 1, 1, 1],
  ]);
  const d = decodePng(image);
  expect([d.width, d.height, d.channels]).toEqual([2, 3, 3]);
  expect([...d.pixels]).toEqual([
    10, 20, 30, 40, 50, 60,
    5, 5, 5, 10, 10, 10,
    6, 7, 8, 11, 11, 11,
  ]);
});

test('average and Paeth filters', () => {
  const image = png(2, 2, 2, [
    [0, 100, 100, 100, 200, 200, 200],
    // average: floor((left + up) / 2) + x; first pixel has no left: floor(100/2)+10 = 60
    [3, 10, 10, 10, /* floor((60+200)/2)=130 +1 */ 1, 1, 1],
  ]);
  expect([...decodePng(image).pixels].slice(6)).toEqual([60, 60, 60, 131, 131, 131]);
  const paeth = png(2, 2, 2, [
    [0, 100, 100, 100, 200, 200, 200],
    // Paeth: first pixel predicts from up (100); second from a=left 110, b=up 200, c=upleft 100 → p=210 → b (200)
    [4, 10, 10, 10, 1, 1, 1],
  ]);
  expect([...decodePng(paeth).pixels].slice(6)).toEqual([110, 110, 110, 201, 201, 201]);
});

test('a one-colour image measures as blank, a drawn one does not', () => {
  const blank = png(2, 2, 2, [[0, 9, 9, 9, 9, 9, 9], [0, 9, 9, 9, 9, 9, 9]]);
  expect(measureRendering(decodePng(blank))).toEqual({ colours: 1, foreground: 0 });
  const drawn = png(2, 2, 2, [[0, 9, 9, 9, 9, 9, 9], [0, 9, 9, 9, 250, 0, 0]]);
  expect(measureRendering(decodePng(drawn))).toEqual({ colours: 2, foreground: 0.25 });
});

test('refuses what it cannot decode', () => {
  expect(() => decodePng(Buffer.from('GIF89a'))).toThrow('not a PNG');
  expect(() => decodePng(png(1, 1, 3 /* palette */, [[0, 0]]))).toThrow(/unsupported PNG/);
});

test('solidPng round-trips through the decoder', () => {
  const d = decodePng(solidPng(3, 2, [1, 2, 3]));
  expect([d.width, d.height, d.channels]).toEqual([3, 2, 3]);
  expect([...d.pixels]).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
});
