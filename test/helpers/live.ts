// Going live the way a host does (ffmpeg publishes to the room's signed push URL until the API says live), and
// checking the replay a broadcast leaves behind.
import * as HLS from 'hls-parser';
import type { Room } from '../../typings/api';
import { publish, type ChildHandle, type TestStreamOptions } from './ffmpeg';
import { call } from './http';
import { until } from './wait';

/** A short, cheap stream: 1 s GOP (segments cut every second with HLS_FRAGMENT_S=1), bounded in case a test forgets it. */
export const SHORT_STREAM: TestStreamOptions = { size: '160x120', fps: 25, gop: 25, durationS: 60 };

/**
 * Publishes to `pushUrl` and resolves once `GET /api/rooms/:id` says live; rejects (with ffmpeg's stderr) if
 * ffmpeg exits first or the room is not live within `timeoutMs`.
 */
export async function publishLive(
  base: string, roomId: string, pushUrl: string, opts: TestStreamOptions = {}, timeoutMs = 10_000,
): Promise<ChildHandle> {
  const pub = publish(pushUrl, { ...SHORT_STREAM, ...opts });
  try {
    await until(async () => {
      if (pub.proc.exitCode !== null || pub.proc.signalCode !== null) throw new Error(`ffmpeg exited before ${roomId} went live: ${pub.stderr()}`);
      const r = await call<{ room: Room }>(base, 'GET', `/api/rooms/${roomId}`);
      return r.status === 200 && r.body.room.status === 'live';
    }, timeoutMs, `room ${roomId} to go live`, 50);
  } catch (err) {
    await pub.stop(500);
    throw err;
  }
  return pub;
}

/**
 * Resolves once the room's live HLS playlist (its signed `play.hls`) lists at least `n` segments. Pass a function
 * for a fresh URL on every poll when play URLs expire sooner than the first segments come (a short PLAY_TTL_S).
 */
export async function untilSegments(hls: string | (() => Promise<string>), n: number, timeoutMs = 10_000): Promise<string> {
  let text = '';
  let url = typeof hls === 'string' ? hls : '';
  await until(async () => {
    if (typeof hls !== 'string') url = await hls();
    const res = await fetch(url);
    text = await res.text();
    return res.status === 200 && (text.match(/^#EXTINF:/gm) ?? []).length >= n;
  }, timeoutMs, `${n} segment(s) in ${url.split('?')[0]}`, 100);
  return text;
}

/**
 * Fetches a replay URL and checks that it is a finished recording: 200 with the HLS type, a strict-parsed VOD
 * playlist with #EXT-X-ENDLIST and at least one segment, every segment served as MPEG-TS (0x47 sync bytes).
 */
export async function fetchFinishedReplay(url: string): Promise<HLS.types.MediaPlaylist> {
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`replay ${url}: HTTP ${res.status} ${text}`);
  if (res.headers.get('content-type') !== 'application/vnd.apple.mpegurl') throw new Error(`replay ${url}: ${res.headers.get('content-type')}`);
  HLS.setOptions({ strictMode: true });
  const list = HLS.parse(text) as HLS.types.MediaPlaylist;
  const problems: string[] = [];
  if (list.isMasterPlaylist) problems.push('a master playlist');
  if (list.playlistType !== 'VOD') problems.push(`playlist type ${list.playlistType}`);
  if (!list.endlist || text.trimEnd().split('\n').pop() !== '#EXT-X-ENDLIST') problems.push('no #EXT-X-ENDLIST at the end');
  if (list.segments.length === 0) problems.push('no segments');
  for (const seg of list.segments) {
    const r = await fetch(new URL(seg.uri, url));
    const body = Buffer.from(await r.arrayBuffer());
    const synced = body.length > 0 && body.length % 188 === 0 && body.every((b, i) => i % 188 !== 0 || b === 0x47);
    if (r.status !== 200 || r.headers.get('content-type') !== 'video/mp2t' || !synced) {
      problems.push(`${seg.uri}: HTTP ${r.status} ${r.headers.get('content-type')}, ${body.length} bytes${synced ? '' : ', not MPEG-TS'}`);
    }
  }
  if (problems.length > 0) throw new Error(`replay ${url} is not a finished VOD recording: ${problems.join('; ')}\n${text}`);
  return list;
}
