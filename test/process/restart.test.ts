// Stop the real process and start it again on the same DATA_DIR: rooms, sessions and signed URLs carry over.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushTicket, Room } from '../../typings/api';
import { readSignedParams, verifyMedia } from '../../server/signing/media-signature';
import { call, createRoom } from '../helpers/http';
import { bootServer, killAll } from './spawn-server';

let dataDir: string;
beforeAll(() => { dataDir = mkdtempSync(join(tmpdir(), 'wxlive-restart-')); });
afterAll(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

const pushVerdict = (secret: string, roomId: string, push: PushTicket) =>
  verifyMedia(secret, 'publish', roomId, readSignedParams(Object.fromEntries(new URL(push.url.replace(/^rtmp:/, 'http:')).searchParams)));

async function boot(): Promise<{ base: string; stop: () => Promise<number | string> }> {
  const { proc, base } = await bootServer({ DATA_DIR: dataDir });
  return { base, stop: () => proc.stop() };
}

test('after a restart the rooms are there, old tokens work and old push URLs still verify', async () => {
  const one = await boot();
  const kept = await createRoom(one.base, 'survives restarts', 'restart-host');
  const ended = await createRoom(one.base, 'ended before restart', 'restart-host');
  await call(one.base, 'POST', `/api/rooms/${ended.room.id}/end`, { token: ended.token });
  const before = (await call(one.base, 'GET', '/api/rooms?limit=100')).body.rooms as Room[];
  const secretBefore = readFileSync(join(dataDir, 'signing-secret'), 'utf8');
  const adminBefore = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  expect(await one.stop()).toBe(0);

  const two = await boot();
  try {
    expect(readFileSync(join(dataDir, 'signing-secret'), 'utf8')).toBe(secretBefore);
    const after = (await call(two.base, 'GET', '/api/rooms?limit=100')).body.rooms as Room[];
    expect(after.map((r) => [r.id, r.status])).toEqual(before.map((r) => [r.id, r.status]));
    expect(after.map((r) => r.id).sort()).toEqual([kept.room.id, ended.room.id].sort());

    // the session token issued by the first process still signs in the host
    const fresh = await call(two.base, 'POST', `/api/rooms/${kept.room.id}/push`, { token: kept.token });
    expect(fresh.status).toBe(200);
    // the push URL issued before the restart and the new one both verify under the kept secret
    expect(pushVerdict(secretBefore.trim(), kept.room.id, kept.push)).toEqual({ ok: true });
    expect(pushVerdict(secretBefore.trim(), kept.room.id, fresh.body.push)).toEqual({ ok: true });
    // and the admin token is the same one
    expect((await call(two.base, 'GET', '/api/admin/stats', { token: adminBefore })).status).toBe(200);
  } finally {
    await two.stop();
  }
});
