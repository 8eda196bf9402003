// an uploaded cover reaches the rooms list itself (GET /api/rooms, what the mini-program's
// rooms page reads), not only GET /api/rooms/:id; a second upload's new versioned URL replaces it there too.
import { call, createRoom } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { plainJpeg, taggedPng } from './cover-images';

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => { await s.stop(true); });

async function upload(roomId: string, token: string, type: string, body: Buffer) {
  const res = await fetch(`${s.url}/api/rooms/${roomId}/cover`, {
    method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body: new Uint8Array(body),
  });
  return { status: res.status, body: await res.json() as any };
}

const listed = async (id: string) => {
  const r = await call(s.url, 'GET', '/api/rooms?status=idle&limit=100');
  expect(r.status).toBe(200);
  return (r.body.rooms as { id: string; cover?: string }[]).find((room) => room.id === id);
};

test('the rooms list carries the uploaded cover\'s versioned URL, and the newest one after a second upload', async () => {
  const { token, room } = await createRoom(s.url, 'Listed cover', 'audit-cover');
  const plain = await createRoom(s.url, 'No cover', 'audit-cover');
  const first = await upload(room.id, token, 'image/jpeg', plainJpeg());
  expect(first.status).toBe(200);
  expect((await listed(room.id))?.cover).toBe(first.body.room.cover);
  expect(await listed(plain.room.id)).not.toHaveProperty('cover');

  const second = await upload(room.id, token, 'image/png', taggedPng());
  expect(second.status).toBe(200);
  expect(second.body.room.cover).not.toBe(first.body.room.cover);
  expect((await listed(room.id))?.cover).toBe(second.body.room.cover);
  const served = await fetch((await listed(room.id))!.cover!);
  expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);
});
