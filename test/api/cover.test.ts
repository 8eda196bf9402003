// POST /api/rooms/:id/cover over real HTTP: the host's image, sniffed from its bytes, stripped of metadata,
// stored under DATA_DIR/covers and served back with cache headers; every refusal as JSON.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exifOrientation } from '../../server/rooms/cover/jpeg-clean';
import { ffprobeJson } from '../helpers/ffmpeg';
import { call, createRoom, login, rawRequest } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { until } from '../helpers/wait';
import { jpegMarkers, jpegSegment, phoneJpeg, plainJpeg, pngChunk, pngChunkTypes, SECRET_NOTE, taggedPng } from './cover-images';

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => { await s.stop(true); });

const MB2 = 2 * 1024 * 1024;

async function upload(roomId: string, token: string | null, type: string, body: Buffer) {
  const headers: Record<string, string> = { 'content-type': type };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${s.url}/api/rooms/${roomId}/cover`, { method: 'POST', headers, body: new Uint8Array(body) });
  return { status: res.status, headers: res.headers, body: await res.json() as any };
}

async function getBytes(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const coversOnDisk = () => (existsSync(join(s.dataDir, 'covers')) ? readdirSync(join(s.dataDir, 'covers')).sort() : []);

async function probe(bytes: Buffer, name: string): Promise<[number | undefined, number | undefined]> {
  const file = join(s.dataDir, name);
  writeFileSync(file, bytes);
  const { streams } = await ffprobeJson(file);
  return [streams[0]?.width, streams[0]?.height];
}

test('the host uploads a phone JPEG: the cover is our URL, and the served JPEG has no EXIF note, comment or trailer', async () => {
  const { token, room } = await createRoom(s.url, 'Photo cover', 'cover-jpeg');
  const sent = phoneJpeg();
  expect(sent.includes(Buffer.from(SECRET_NOTE))).toBe(true);
  const r = await upload(room.id, token, 'image/jpeg', sent);
  expect(r.status).toBe(200);
  const cover: string = r.body.room.cover;
  expect(cover).toMatch(new RegExp(`^${s.url}/api/rooms/${room.id}/cover\\?v=[\\w-]{22}$`));
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}`)).body.room.cover).toBe(cover);

  const served = await getBytes(cover);
  expect(served.status).toBe(200);
  expect(served.headers.get('content-type')).toBe('image/jpeg');
  expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(served.headers.get('etag')).toBe(`"${new URL(cover).searchParams.get('v')}"`);
  expect(served.headers.get('x-content-type-options')).toBe('nosniff');
  for (const gone of [SECRET_NOTE, 'secret comment', 'Lavc', 'JFIF', 'PK trailing']) expect([gone, served.bytes.includes(Buffer.from(gone))]).toEqual([gone, false]);
  // SOI, then the 26-byte orientation-only EXIF, then only what decoding needs; it ends at EOI
  expect(jpegMarkers(served.bytes)[0]).toBe(0xe1);
  expect(jpegMarkers(served.bytes).filter((m) => (m >= 0xe0 && m <= 0xef) || m === 0xfe)).toEqual([0xe1]);
  expect(exifOrientation(served.bytes.subarray(6, 6 + served.bytes.readUInt16BE(4) - 2))).toBe(6);
  expect(served.bytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  expect(await probe(served.bytes, 'served.jpg')).toEqual([160, 90]);

  // a revalidation is a 304; the unversioned URL follows the newest cover, so it is revalidated every time
  expect((await rawRequest(s.url, 'GET', new URL(cover).pathname + new URL(cover).search, { headers: { 'if-none-match': served.headers.get('etag')! } })).status).toBe(304);
  const plain = await getBytes(`${s.url}/api/rooms/${room.id}/cover`);
  expect([plain.status, plain.headers.get('cache-control'), plain.bytes.equals(served.bytes)]).toEqual([200, 'no-cache', true]);
  expect(coversOnDisk()).toEqual([`${room.id}.${new URL(cover).searchParams.get('v')}.jpg`]);
});

test('a PNG keeps only IHDR, IDAT and IEND; a new upload replaces the old one, on disk too', async () => {
  const { token, room } = await createRoom(s.url, 'Replaced cover', 'cover-png');
  const first = await upload(room.id, token, 'image/png', taggedPng());
  expect(first.status).toBe(200);
  const served = await getBytes(first.body.room.cover);
  expect(served.headers.get('content-type')).toBe('image/png');
  expect(pngChunkTypes(taggedPng())).toEqual(['IHDR', 'tEXt', 'eXIf', 'tIME', 'IDAT', 'IEND']);
  expect(pngChunkTypes(served.bytes)).toEqual(['IHDR', 'IDAT', 'IEND']);
  expect(served.bytes.includes(Buffer.from(SECRET_NOTE))).toBe(false);
  expect(await probe(served.bytes, 'served.png')).toEqual([64, 36]);

  const second = await upload(room.id, token, 'image/jpeg', plainJpeg());
  expect(second.status).toBe(200);
  expect(second.body.room.cover).not.toBe(first.body.room.cover);
  const mine = coversOnDisk().filter((f) => f.startsWith(room.id));
  expect(mine).toEqual([`${room.id}.${new URL(second.body.room.cover).searchParams.get('v')}.jpg`]);
  // the old URL now answers with the current image, and not as immutable
  const old = await getBytes(first.body.room.cover);
  expect([old.status, old.headers.get('content-type'), old.headers.get('cache-control')]).toEqual([200, 'image/jpeg', 'no-cache']);
});

test('the type is the bytes\' type: a PNG sent as image/jpeg, a GIF, text or another label are 415', async () => {
  const { token, room } = await createRoom(s.url, 'Wrong types', 'cover-415');
  const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
  const cases: [string, Buffer, string][] = [
    ['image/jpeg', taggedPng(), 'cover_type_mismatch'],
    ['image/png', plainJpeg(), 'cover_type_mismatch'],
    ['image/png', gif, 'cover_unsupported_type'],
    ['image/jpeg', Buffer.from('<?php echo "hi"; ?>'), 'cover_unsupported_type'],
    ['image/gif', gif, 'cover_unsupported_type'],
    ['application/json', Buffer.from('{"cover":1}'), 'cover_unsupported_type'],
    ['text/plain', Buffer.from('hello'), 'cover_unsupported_type'],
  ];
  for (const [type, body, code] of cases) {
    const r = await upload(room.id, token, type, body);
    expect([type, r.status, r.body.error.code]).toEqual([type, 415, code]);
  }
  const mismatch = await upload(room.id, token, 'image/jpeg', taggedPng());
  expect(mismatch.body.error.message).toBe('The body is a PNG image, but it was sent as image/jpeg.');
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}`)).body.room).not.toHaveProperty('cover');
});

test('2 MB is taken, 2 MB + 1 byte is 413, with or without a Content-Length; damaged images are 400', async () => {
  const { token, room } = await createRoom(s.url, 'Big covers', 'cover-413');
  const jpeg = plainJpeg();
  /** the JPEG padded with comment segments to exactly `size` bytes */
  const padded = (size: number) => {
    const parts = [jpeg.subarray(0, 2)];
    let left = size - jpeg.length;
    while (left > 0) {
      const n = Math.min(left, 65537); // a segment is at most 2 + 65535 bytes; under 4 left, 0xFF fill bytes
      parts.push(n >= 4 ? jpegSegment(0xfe, Buffer.alloc(n - 4, 0x41)) : Buffer.alloc(n, 0xff));
      left -= n;
    }
    return Buffer.concat([...parts, jpeg.subarray(2)]);
  };
  const exact = padded(MB2);
  expect(exact.length).toBe(MB2);
  expect((await upload(room.id, token, 'image/jpeg', exact)).status).toBe(200);

  const over = await upload(room.id, token, 'image/jpeg', padded(MB2 + 1));
  expect([over.status, over.body.error.code]).toEqual([413, 'payload_too_large']);
  // chunked: no Content-Length to refuse early, so the count while reading refuses it
  const chunks = [padded(MB2 + 1)].flatMap((b) => Array.from({ length: Math.ceil(b.length / 65536) }, (_, i) => b.subarray(i * 65536, (i + 1) * 65536)));
  const chunked = await rawRequest(s.url, 'POST', `/api/rooms/${room.id}/cover`, {
    headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' }, chunks,
  });
  expect([chunked.status, chunked.body.error.code]).toEqual([413, 'payload_too_large']);
  const gzipped = await rawRequest(s.url, 'POST', `/api/rooms/${room.id}/cover`, {
    headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${token}`, 'content-encoding': 'gzip' }, chunks: [jpeg],
  });
  expect([gzipped.status, gzipped.body.error.code]).toEqual([415, 'unsupported_content_encoding']);

  const truncated = await upload(room.id, token, 'image/jpeg', jpeg.subarray(0, jpeg.length - 40));
  expect([truncated.status, truncated.body.error.code]).toEqual([400, 'cover_damaged']);
  const png = taggedPng();
  png[png.length - 20] ^= 0xff; // inside the IDAT: its CRC no longer holds
  expect((await upload(room.id, token, 'image/png', png)).body.error.code).toBe('cover_damaged');
  const huge = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', Buffer.from([0, 0, 0x40, 0, 0, 0, 0x40, 0, 8, 2, 0, 0, 0])), pngChunk('IEND', Buffer.alloc(0))]);
  const big = await upload(room.id, token, 'image/png', huge);
  expect([big.status, big.body.error]).toEqual([400, { code: 'cover_dimensions', message: 'The image is 16384×16384 pixels; covers may be at most 4096 pixels on a side.' }]);
});

test('only the host, of a room that exists and has not ended: 401, 403, 404, 409', async () => {
  const { token, room } = await createRoom(s.url, 'Guarded', 'cover-owner');
  const other = await login(s.url, 'cover-intruder');
  const jpeg = plainJpeg();
  expect((await upload(room.id, null, 'image/jpeg', jpeg)).status).toBe(401);
  const intruder = await upload(room.id, other, 'image/jpeg', jpeg);
  expect([intruder.status, intruder.body.error.code]).toEqual([403, 'not_room_host']);
  expect((await upload('AAAAAAAAAAAA', token, 'image/jpeg', jpeg)).body.error.code).toBe('room_not_found');
  expect((await upload('AAAAAAAAAAAA', token, 'image/jpeg', jpeg)).status).toBe(404);
  expect((await call(s.url, 'POST', `/api/rooms/${room.id}/end`, { token })).status).toBe(200);
  const ended = await upload(room.id, token, 'image/jpeg', jpeg);
  expect([ended.status, ended.body.error.code]).toEqual([409, 'room_ended']);
  expect(coversOnDisk().filter((f) => f.startsWith(room.id))).toEqual([]);
  expect((await call(s.url, 'GET', `/api/rooms/${room.id}/cover`)).body.error.code).toBe('cover_not_found');
});

test('deleting the room deletes its cover file', async () => {
  const { token, room } = await createRoom(s.url, 'Deleted later', 'cover-delete');
  const r = await upload(room.id, token, 'image/png', taggedPng());
  expect(coversOnDisk().filter((f) => f.startsWith(room.id))).toHaveLength(1);
  expect((await call(s.url, 'DELETE', `/api/admin/rooms/${room.id}`, { token: s.config.secrets.adminToken })).status).toBe(204);
  await until(() => coversOnDisk().filter((f) => f.startsWith(room.id)).length === 0, 5000, 'the cover file to go');
  expect((await getBytes(r.body.room.cover)).status).toBe(404);
});
