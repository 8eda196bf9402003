// Issue 15 end to end, media part: the host and two accepted co-hosts publish with ffmpeg (tickets from
// POST /api/rooms/:id/cohosts/push); every stream plays through HTTP-FLV (ffprobe), RTMP (rtmpdump, then ffprobe)
// and live HLS (ffprobe per segment). A guest ticket opens only its own slot of its own room, dies with the
// removal and with its expiry; a removal disconnects the guest within 2 s; the room's end ends every guest; the
// replay holds the main stream only and the guests' live HLS files are gone.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlayUrls } from '../../../typings/api';
import type { GuestPlayUrls, GuestSlot } from '../../../typings/cohost';
import { guestQuery, guestStream, signGuest } from '../../../server/signing/guest-signature';
import { TestSocket } from '../../chat/chat-server';
import { ffprobeJson, killAll, publish, rtmpdump, type ChildHandle } from '../../helpers/ffmpeg';
import { call, createRoom, login } from '../../helpers/http';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { checkPlaylist, FlvWatcher, getRoom, until, untilStatus, within } from './e2e-kit';

/** each publisher's own picture size, so a stream shows whose it is */
const SIZES = { main: [320, 240], g1: [176, 144], g2: [160, 120] } as const;
let s: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'wxlive-e2e-cohost-'));
const sockets: TestSocket[] = [];
const watchers: FlvWatcher[] = [];

beforeAll(async () => {
  s = await startTestServer({ HLS_FRAGMENT_S: '1', HLS_PLAYLIST_LENGTH_S: '6' });
}, 20000);

afterAll(async () => {
  for (const w of watchers) w.close();
  for (const k of sockets) k.close();
  await killAll();
  await s?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

interface Guest { id: string; token: string; slot: GuestSlot; push: string }

/** A signed-in viewer asks on the room socket, the host accepts, the guest fetches its push ticket. */
async function acceptedGuest(roomId: string, hostToken: string, code: string): Promise<Guest> {
  const token = await login(s.url, code);
  const socket = new TestSocket(s.url.replace('http:', 'ws:'), roomId);
  sockets.push(socket);
  await socket.opened;
  socket.send({ type: 'auth', token });
  const id = (await socket.next('hello')).you!.id;
  socket.send({ type: 'cohost_request' });
  expect((await socket.next('notice')).code).toBe('cohost_requested');
  const accepted = await call(s.url, 'POST', `/api/rooms/${roomId}/cohosts`, { token: hostToken, body: { userId: id } });
  expect(accepted.status).toBe(200);
  const ticket = await call(s.url, 'POST', `/api/rooms/${roomId}/cohosts/push`, { token });
  expect(ticket.status).toBe(200);
  return { id, token, slot: ticket.body.slot, push: ticket.body.push.url };
}

/** ffmpeg must be turned away (non-zero exit) within 8 s. */
async function refused(url: string): Promise<void> {
  const pub = publish(url, { gop: 25, size: '128x96' });
  const exit = await within(pub.exited, 8000);
  expect([url.split('?')[0], exit?.code ?? 'still publishing']).toEqual([url.split('?')[0], expect.any(Number)]);
  expect(exit!.code).not.toBe(0);
}

const widthOf = async (url: string) => {
  const p = await ffprobeJson(url);
  expect(p.streams.map((x) => x.codec_name).sort()).toEqual(['aac', 'h264']);
  const v = p.streams.find((x) => x.codec_type === 'video')!;
  return [v.width ?? 0, v.height ?? 0];
};

/** The stream's RTMP play saved by rtmpdump, probed. */
async function rtmpSize(url: string, name: string): Promise<number[]> {
  const out = join(dir, `${name}.flv`);
  const player = rtmpdump(url, out, 30);
  const size = () => { try { return statSync(out).size; } catch { return 0; } };
  await until(() => size() > 20_000, 10000, `rtmpdump to save some of ${name}`);
  await player.stop();
  return widthOf(out);
}

/** The stream's live HLS: strict playlist, every segment through ffprobe; the picture size of its segments. */
async function hlsSizes(url: string, name: string): Promise<string[]> {
  let text = '';
  await until(async () => {
    const r = await fetch(url);
    text = r.status === 200 ? await r.text() : '';
    return (text.match(/^#EXTINF/gm) ?? []).length >= 2;
  }, 12000, `two segments in ${name}'s live playlist`);
  const sub = join(dir, name);
  mkdirSync(sub, { recursive: true });
  const { list, probes, problems } = await checkPlaylist(url, text, sub, ['video', 'audio']);
  expect([name, problems, list.endlist]).toEqual([name, [], false]);
  return [...new Set(probes.map((p) => { const v = p.streams.find((x) => x.codec_type === 'video')!; return `${v.width}x${v.height}`; }))];
}

let roomId: string;
let hostToken: string;
let play: PlayUrls & { guests?: GuestPlayUrls[] };
let guests: Guest[];
const pubs: Record<string, ChildHandle> = {};

test('the host and two guests publish; each stream plays over HTTP-FLV, RTMP and HLS; the room\'s lifecycle is the host\'s', async () => {
  const created = await createRoom(s.url, 'co-hosting media', 'cohost-media-host');
  roomId = created.room.id;
  hostToken = created.token;
  pubs.main = publish(created.push.url, { gop: 25, size: SIZES.main.join('x') });
  await untilStatus(s.url, roomId, 'live', 10000);
  const startedAt = (await getRoom(s.url, roomId)).startedAt;
  guests = [await acceptedGuest(roomId, hostToken, 'cohost-media-a'), await acceptedGuest(roomId, hostToken, 'cohost-media-b')];
  expect(guests.map((g) => g.slot)).toEqual(['g1', 'g2']);
  expect(guests[0]!.push).toContain(`/live/${roomId}~g1?`);
  for (const g of guests) pubs[g.slot] = publish(g.push, { gop: 25, size: SIZES[g.slot as 'g1' | 'g2'].join('x') });
  const r = await call(s.url, 'GET', `/api/rooms/${roomId}/play`);
  play = r.body.play;
  expect(play.guests!.map((g) => g.slot)).toEqual(['g1', 'g2']);

  const streams: Array<[string, { flv: string; rtmp: string; hls: string }, readonly number[]]> = [
    ['main', play, SIZES.main], ...play.guests!.map((g) => [g.slot, g, SIZES[g.slot as 'g1' | 'g2']] as [string, GuestPlayUrls, readonly number[]]),
  ];
  for (const [name, urls, size] of streams) {
    expect([name, 'flv', await widthOf(urls.flv)]).toEqual([name, 'flv', [...size]]);
    expect([name, 'flv low', await widthOf(`${urls.flv}&latency=low`)]).toEqual([name, 'flv low', [...size]]);
    expect([name, 'rtmp', await rtmpSize(urls.rtmp, name)]).toEqual([name, 'rtmp', [...size]]);
    expect([name, 'hls', await hlsSizes(urls.hls, name)]).toEqual([name, 'hls', [size.join('x')]]);
  }
  // guests publishing changed nothing of the room's: still live since the host's first packets
  const room = await getRoom(s.url, roomId);
  expect([room.status, room.startedAt]).toEqual(['live', startedAt]);
  for (const p of Object.values(pubs)) expect(p.proc.exitCode).toBeNull();
}, 120000);

test('a guest ticket is refused for the main slot, another slot and another room', async () => {
  const g1 = guests[0]!;
  const query = g1.push.split('?')[1]!;
  const rtmpBase = g1.push.slice(0, g1.push.indexOf(`/${roomId}~`));
  const other = await createRoom(s.url, 'another room', 'cohost-media-other');
  await refused(`${rtmpBase}/${roomId}?${query}`);
  await refused(`${rtmpBase}/${roomId}~g3?${query}`);
  await refused(`${rtmpBase}/${other.room.id}~g1?${query}`);
  // and the slot it names is held by its guest still
  expect(pubs.g1!.proc.exitCode).toBeNull();
}, 60000);

test('removing a guest disconnects its publisher and viewers within 2 s; its ticket is refused then, and an expired one too', async () => {
  const g2 = guests[1]!;
  const viewer = await FlvWatcher.open(play.guests![1]!.flv);
  watchers.push(viewer);
  await until(() => viewer.media().length > 5, 8000, 'the g2 viewer to get media');
  const t0 = Date.now();
  const r = await call(s.url, 'DELETE', `/api/rooms/${roomId}/cohosts/${g2.id}`, { token: hostToken });
  expect(r.status).toBe(200);
  const gone = await within(Promise.all([pubs.g2!.exited, viewer.closed]), 2000);
  expect(gone).not.toBeNull();
  expect(Date.now() - t0).toBeLessThan(2000);
  await refused(g2.push);
  // g1's ticket, still in the line-up, once past its expiry (signed as the service signs, with an expiry gone by)
  const g1 = guests[0]!;
  const q = new URL(g1.push.replace(/^rtmp:/, 'http:')).searchParams;
  const expired = signGuest(s.config.secrets.signingSecret, guestStream(roomId, 'g1'), g1.id, Math.floor(Date.now() / 1000) - 5, Number(q.get('gen')));
  await refused(`${g1.push.split('?')[0]}?${guestQuery(expired)}`);
  expect(pubs.g1!.proc.exitCode).toBeNull();
  expect(pubs.main!.proc.exitCode).toBeNull();
}, 60000);

test('the room ending ends every guest within 2 s; the replay holds the main stream only; guests\' live HLS files are gone', async () => {
  const guestDir = join(s.dataDir, 'hls-guests', `${roomId}~g1`);
  expect(existsSync(guestDir)).toBe(true);
  const t0 = Date.now();
  const r = await call(s.url, 'POST', `/api/rooms/${roomId}/end`, { token: hostToken });
  expect(r.status).toBe(200);
  expect(await within(Promise.all([pubs.main!.exited, pubs.g1!.exited]), 2000)).not.toBeNull();
  expect(Date.now() - t0).toBeLessThan(2000);
  await until(() => !existsSync(guestDir), 5000, 'the guest\'s live HLS folder to be removed');
  const ended = await call(s.url, 'GET', `/api/rooms/${roomId}/play`);
  expect([ended.status, ended.body.error.code]).toEqual([409, 'room_ended']);
  const replay = ended.body.error.replay as string;
  const sub = join(dir, 'replay');
  mkdirSync(sub);
  const { list, probes, problems } = await checkPlaylist(replay, await (await fetch(replay)).text(), sub, ['video', 'audio']);
  expect([problems, list.endlist]).toEqual([[], true]);
  const sizes = new Set(probes.map((p) => { const v = p.streams.find((x) => x.codec_type === 'video')!; return `${v.width}x${v.height}`; }));
  expect([...sizes]).toEqual([SIZES.main.join('x')]);
  // one broadcast folder for the room, no guest's among the replays
  expect(readdirSync(join(s.dataDir, 'hls', roomId))).toHaveLength(1);
}, 60000);
