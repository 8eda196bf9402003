// Issue 10, row 6: a full disk under the SQLite database answers 507 storage_full JSON, never a 500, and the API
// keeps answering reads. The real Koa app over a real SQLite file on a loopback port; the "disk" is made full with
// PRAGMA max_page_count on the store's own connection (the pragma holds per connection), so inserts hit SQLITE_FULL.
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createApp } from '../../server/api/app';
import { LoginService } from '../../server/auth/login';
import { NO_STREAMS } from '../../server/media/plane';
import { SignedMediaUrls } from '../../server/media/signed-media-urls';
import { RoomService } from '../../server/rooms/room-service';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';
import { call, login } from '../helpers/http';

const SECRET = 'a-signing-secret-of-at-least-32-characters!';
const dir = mkdtempSync(join(tmpdir(), 'wxlive-full-'));
const store = new SqliteRoomStore(join(dir, 'wxlive.db'));
let http: Server;
let base: string;
const refusals: string[] = [];

beforeAll(async () => {
  const log = pino({ level: 'silent' });
  const rooms = new RoomService({ store, urls: new SignedMediaUrls(SECRET, true), pushTtlS: 600, playTtlS: 60, graceMs: 1000,
    onLimit: (reason) => refusals.push(reason) });
  const app = createApp({
    log, rooms, login: new LoginService({ mode: 'dev', secret: SECRET, sessionTtlS: 3600 }), adminToken: 'admin-token-0123456789',
    stats: NO_STREAMS, metrics: new Registry(), rtmpPort: 1935, startedAt: Date.now(),
  });
  http = createServer(app.callback());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections(); });
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('room creation on a full disk is 507 storage_full JSON; the rooms stored before are still listed', async () => {
  const token = await login(base, 'disk-host');
  const kept = await call(base, 'POST', '/api/rooms', { token, body: { title: 'before the disk filled up' } });
  expect(kept.status).toBe(201);
  const db = (store as unknown as { db: Database.Database }).db;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

  let r = await call(base, 'POST', '/api/rooms', { token, body: { title: 'x'.repeat(64) } });
  for (let i = 0; i < 200 && r.status === 201; i++) r = await call(base, 'POST', '/api/rooms', { token, body: { title: 'x'.repeat(64) } });
  expect([r.status, r.body]).toEqual([507, {
    error: { code: 'storage_full', message: 'The server has no room left to store this; try again later.' },
  }]);
  expect(refusals).toEqual(['storage_full']); // counted in wxlive_limit_refusals_total by the server
  const listed = await call(base, 'GET', '/api/rooms?limit=100');
  expect(listed.status).toBe(200);
  expect(listed.body.rooms.map((x: { id: string }) => x.id)).toContain(kept.body.room.id);
});
