// Issue 3 end to end: hostile HTTP and RTMP requests against the full server while a room is live. Each is
// answered (or its socket closed) on its own; the server stays up and the room's FLV viewer keeps receiving.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlayUrls } from '../../../typings/api';
import { killAll, publish, type ChildHandle } from '../../helpers/ffmpeg';
import { call, createRoom, rawRequest } from '../../helpers/http';
import { RawRtmpClient } from '../../helpers/rtmp-client';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { FlvWatcher, playUrls, until, untilStatus } from './e2e-kit';

const MARKER = 'INJECTED-BY-A-PLAYER';
let s: TestServer;
let roomId: string;
let broadcastId: string;
let play: PlayUrls;
let sig: string;
let pushQuery: string;
let pub: ChildHandle;
let viewer: FlvWatcher;
/** what must never come back in a response body */
let secrets: string[];

beforeAll(async () => {
  s = await startTestServer({ HLS_FRAGMENT_S: '1' });
  const created = await createRoom(s.url, 'under attack');
  roomId = created.room.id;
  pushQuery = created.push.streamKey.split('?')[1]!;
  pub = publish(created.push.url, { gop: 50 });
  await untilStatus(s.url, roomId, 'live', 5000);
  play = await playUrls(s.url, roomId);
  sig = new URL(play.flv).search;
  viewer = await FlvWatcher.open(play.flv);
  await until(() => viewer.media().length > 10, 5000, 'the viewer to receive media');
  await until(async () => (await fetch(play.hls)).status === 200, 6000, 'the live playlist');
  broadcastId = readdirSync(join(s.dataDir, 'hls', roomId))[0]!;
  secrets = [s.config.secrets.adminToken, s.config.secrets.signingSecret];
  expect(readFileSync(join(s.dataDir, 'admin-token'), 'utf8').trim()).toBe(s.config.secrets.adminToken);
}, 20000);

afterAll(async () => {
  viewer?.close();
  await killAll();
  await s?.stop(true);
});

/** Run an attack; then the server must answer and the stream keep flowing to the viewer. */
async function survives(attack: () => Promise<void>): Promise<void> {
  const before = viewer.bytes;
  await attack();
  await until(() => viewer.bytes > before + 5000, 5000, 'the viewer to keep receiving');
  expect(viewer.ended).toBe(false);
  expect(pub.proc.exitCode).toBeNull();
  expect((await call(s.url, 'GET', '/healthz')).status).toBe(200);
}

/** GET a raw path (sent byte for byte, no URL normalisation). */
const raw = (path: string) => rawRequest(s.url, 'GET', path);

test('HTTP-FLV: a bad stream name is a 404, a repeated sign or expires a 403 signature_malformed', () => survives(async () => {
  for (const path of ['/live/bad%20name.flv', '/live/bad%20name.flv?sign=a&sign=b', `/live/${roomId}x.flv${sig}`]) {
    const r = await raw(path);
    expect([path, r.status, r.body.error.code]).toEqual([path, 404, 'not_found']);
  }
  const sign = new URL(play.flv).searchParams.get('sign')!;
  const expires = new URL(play.flv).searchParams.get('expires')!;
  for (const extra of [`&sign=${sign}`, `&expires=${expires}`, '&sign=x', '&expires=1']) {
    const r = await raw(`/live/${roomId}.flv${sig}${extra}`);
    expect([extra, r.status, r.body.error.code]).toEqual([extra, 403, 'signature_malformed']);
  }
  // and the same on HLS
  const r = await raw(`/live/${roomId}/index.m3u8${sig}&sign=${sign}`);
  expect([r.status, r.body.error.code]).toEqual([403, 'signature_malformed']);
}));

test('HTTP-FLV: HEAD answers at once and attaches no viewer', () => survives(async () => {
  for (let i = 0; i < 3; i++) {
    const r = await fetch(play.flv, { method: 'HEAD', signal: AbortSignal.timeout(2000) });
    expect([r.status, r.headers.get('content-type')]).toEqual([200, 'video/x-flv']);
  }
  expect((await fetch(`${s.url}/live/bad%20name.flv`, { method: 'HEAD', signal: AbortSignal.timeout(2000) })).status).toBe(404);
  const stats = await call(s.url, 'GET', '/api/admin/stats', { token: s.config.secrets.adminToken });
  expect(stats.body.streams[0].viewers.flv).toBe(1); // the one FLV viewer of this file
}));

test('path traversal on live HLS and replays: 404, never the file', () => survives(async () => {
  const paths = [
    `/live/${roomId}/..%2F..%2Fadmin-token${sig}`,
    `/live/${roomId}/..%2F..%2F..%2Fadmin-token${sig}`,
    `/live/${roomId}/..%2f..%2f..%2fsigning-secret${sig}`,
    `/live/${roomId}/..%5C..%5C..%5Cadmin-token${sig}`,
    `/live/${roomId}/%2E%2E%2F%2E%2E%2F%2E%2E%2Fadmin-token${sig}`,
    `/live/${roomId}/..%252F..%252F..%252Fadmin-token${sig}`,
    `/live/${roomId}/%2Fetc%2Fpasswd${sig}`,
    `/live/${roomId}/${encodeURIComponent(join(s.dataDir, 'admin-token'))}${sig}`,
    `/live/..%2F..%2Fadmin-token/0.ts${sig}`,
    `/live/${roomId}/../../admin-token${sig}`,
    `/replay/${roomId}/..%2F../x`,
    `/replay/${roomId}/..%2F..%2F..%2Fadmin-token`,
    `/replay/${roomId}/${broadcastId}/..%2F..%2F..%2Fadmin-token`,
    `/replay/${roomId}/${broadcastId}/..%2F..%2F..%2Fwxlive.db`,
    `/replay/${roomId}/${broadcastId}/%2Fetc%2Fpasswd`,
    `/replay/${roomId}/${broadcastId}/${encodeURIComponent(join(s.dataDir, 'signing-secret'))}`,
    `/replay/${roomId}/${broadcastId}/..%2F${broadcastId}%2Flive.m3u8`,
    `/replay/..%2F..%2F/${broadcastId}/index.m3u8`,
    `/replay/${roomId}/..%2F${roomId}/index.m3u8`,
    `/replay/${roomId}/${broadcastId}/../../../admin-token`,
    '/replay/..%2F..%2F..%2F/..%2F/admin-token',
  ];
  for (const path of paths) {
    const r = await raw(path);
    const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    expect([path, r.status]).toEqual([path, 404]);
    expect(secrets.some((x) => text.includes(x))).toBe(false);
    expect(text).not.toMatch(/root:|SQLite format/);
  }
  // the legitimate neighbours of those paths do work
  expect((await raw(`/live/${roomId}/index.m3u8${sig}`)).status).toBe(200);
  expect((await raw(`/replay/${roomId}/${broadcastId}/index.m3u8`)).status).toBe(200);
}));

async function rtmpClient(): Promise<RawRtmpClient> {
  const c = await RawRtmpClient.open(s.rtmpPort);
  await c.handshake();
  return c;
}

test('RTMP: a connect with an invalid tcUrl closes only that socket', () => survives(async () => {
  for (const tcUrl of ['not a url', 'rtmp://[::1', '']) {
    const c = await rtmpClient();
    c.invoke('connect', { app: 'live', tcUrl });
    await c.waitForClose(3000);
  }
}));

test('RTMP: random bytes after the handshake close only that socket', () => survives(async () => {
  for (let i = 0; i < 3; i++) {
    const c = await rtmpClient();
    c.write(Buffer.from(Array.from({ length: 32768 }, () => Math.floor(Math.random() * 256))));
    await c.waitForClose(5000);
  }
}));

test('RTMP: play without a signature, or with the push signature, fails and closes that socket', () => survives(async () => {
  for (const query of ['', `?${pushQuery}`, `${sig}&sign=x`]) {
    const c = await rtmpClient();
    c.start('play', s.rtmpPort, `${roomId}${query}`);
    await c.waitForText('NetStream.Play.Failed');
    await c.waitForClose(3000);
    expect(c.receivedText()).not.toContain('NetStream.Play.Start');
  }
}));

test('RTMP: a play-only client sending media reaches no FLV viewer', () => survives(async () => {
  const c = await rtmpClient();
  c.start('play', s.rtmpPort, `${roomId}${sig}`);
  await c.waitForText('NetStream.Play.Start');
  const from = viewer.tags.length;
  for (let i = 0; i < 20; i++) {
    c.sendMedia(9, Buffer.from(`\x17\x01\x00\x00\x00${MARKER}-${i}`, 'latin1'), 100_000 + i * 40);
    c.sendMedia(8, Buffer.from(`\xaf\x01${MARKER}-${i}`, 'latin1'), 100_000 + i * 40);
  }
  await until(() => viewer.tags.length > from + 50, 5000, 'more tags at the viewer');
  const injected = viewer.tags.filter((t) => t.body.includes(Buffer.from(MARKER)));
  expect(injected).toEqual([]);
  c.destroy();
}));
