// A room's replays (issue 14): its ended broadcasts as the recorder left them on disk (DATA_DIR/hls/<room>/<broadcast>
// with an ENDLIST playlist), each public unless its host or the admin hid it (kept in the VideoStore). Hidden
// replays are listed to the host and admin only, with signed URLs; the media paths ask access() before serving one.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Replay } from '../../typings/vod';
import { DomainError, Forbidden } from '../errors';
import { VOD_PLAYLIST, broadcastDir, isBroadcastId, isRoomId } from '../media/hls-output/hls-paths';
import { listDir } from '../media/hls-output/replay-retention';
import type { Actor } from '../rooms/ports';
import type { RoomRecord } from '../store/room-store';
import { signMedia, toQuery, verifyMediaQuery } from '../signing/media-signature';
import type { VideoStore } from '../store/video-store';
import { parseReplayPlaylist } from '../vod-media/replay-mp4';
import type { PlayQuery } from './catalog-port';
import { roundSeconds } from './probe-result';

export interface ReplayServiceOptions {
  /** DATA_DIR/hls, the recorder's root */
  hlsRoot: string;
  store: VideoStore;
  /** the room (throws RoomNotFound) */
  room(id: string): Promise<RoomRecord>;
  signingSecret: string;
  playTtlS: number;
  now?: () => number;
}

/** what a hidden replay's media signature is bound to (never a room id: no slash in those) */
export const replaySubject = (roomId: string, broadcastId: string): string => `replay:${roomId}/${broadcastId}`;

interface Ended { broadcastId: string; startedAt: number; endedAt: number; durationS: number }

const mayManage = (room: RoomRecord, actor: Actor | null): boolean =>
  actor !== null && (actor.kind === 'admin' || actor.userId === room.hostId);

export class ReplayService {
  private readonly now: () => number;

  constructor(private readonly o: ReplayServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  private async ended(roomId: string, broadcastId: string): Promise<Ended | null> {
    const dir = broadcastDir(this.o.hlsRoot, roomId, broadcastId);
    const file = join(dir, VOD_PLAYLIST);
    const text = await readFile(file, 'utf8').catch(() => null);
    const segments = text === null ? null : parseReplayPlaylist(text);
    if (!segments || segments.length === 0) return null; // still live, or nothing recorded
    const [d, f] = await Promise.all([stat(dir), stat(file)]);
    const durationS = roundSeconds(segments.reduce((s, x) => s + x.durationS, 0));
    const started = d.birthtimeMs > 0 ? d.birthtimeMs : f.mtimeMs - durationS * 1000;
    return { broadcastId, startedAt: started, endedAt: f.mtimeMs, durationS };
  }

  private view(room: RoomRecord, e: Ended, isPublic: boolean, httpBase: string): Replay {
    const base = `${httpBase}/replay/${room.id}/${e.broadcastId}`;
    const expires = Math.floor(this.now() / 1000) + this.o.playTtlS;
    const q = isPublic ? '' : `?${toQuery(signMedia(this.o.signingSecret, 'play', replaySubject(room.id, e.broadcastId), expires))}`;
    return {
      roomId: room.id, broadcastId: e.broadcastId, title: room.title, startedAt: new Date(e.startedAt).toISOString(),
      endedAt: new Date(e.endedAt).toISOString(), durationS: e.durationS, public: isPublic,
      hls: `${base}/index.m3u8${q}`, mp4: `${base}.mp4${q}`,
    };
  }

  /** The room's ended broadcasts, newest first; hidden ones only for its host and the admin. */
  async list(roomId: string, actor: Actor | null, httpBase: string): Promise<Replay[]> {
    const room = await this.o.room(roomId);
    const manage = mayManage(room, actor);
    const visibility = await this.o.store.replayVisibility(room.id);
    const ids = (await listDir(join(this.o.hlsRoot, room.id))).filter(isBroadcastId);
    const out: Replay[] = [];
    for (const id of ids) {
      const e = await this.ended(room.id, id);
      const isPublic = visibility.get(id) ?? true;
      if (e && (isPublic || manage)) out.push(this.view(room, e, isPublic, httpBase));
    }
    return out.sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''));
  }

  async setPublic(roomId: string, broadcastId: string, isPublic: boolean, actor: Actor, httpBase: string): Promise<Replay> {
    const room = await this.o.room(roomId);
    if (!mayManage(room, actor)) throw new Forbidden('Only the room\'s host or the admin may change its replays.', 'not_room_host');
    const e = isBroadcastId(broadcastId) ? await this.ended(room.id, broadcastId) : null;
    if (!e) throw new DomainError('not_found', 'replay_not_found', `Room "${room.id}" has no ended broadcast "${broadcastId.slice(0, 32)}".`);
    await this.o.store.setReplayPublic(room.id, broadcastId, isPublic);
    return this.view(room, e, isPublic, httpBase);
  }

  /** For the media paths: a hidden replay is served only with the signature its host or the admin was given. */
  async access(roomId: string, broadcastId: string, query: PlayQuery): Promise<'ok' | 'hidden'> {
    if (!isRoomId(roomId) || !isBroadcastId(broadcastId)) return 'ok'; // the media answers 404 itself
    if ((await this.o.store.replayVisibility(roomId)).get(broadcastId) !== false) return 'ok';
    const v = verifyMediaQuery(this.o.signingSecret, 'play', replaySubject(roomId, broadcastId), query, this.now() / 1000);
    return v.ok ? 'ok' : 'hidden';
  }
}
