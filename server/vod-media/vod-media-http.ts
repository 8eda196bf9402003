// What the VOD media paths answer (no HTTP framework here; server/api/vod-lane.ts sends it):
//   /vod/<id>/index.m3u8, /vod/<id>/<n>.ts   a library video's HLS, made on first request (one job per video)
//   /replay/<roomId>/<broadcastId>.mp4       an ended broadcast's replay as one MP4, made on first request
// Both are made once and kept on disk; concurrent first requests share the job; a few jobs run at once.
// Private videos need their play signature (the catalog checks it); hidden replays are refused to others.
import { rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../errors';
import type { MediaBody } from '../media/embedded/media-http';
import { VOD_PLAYLIST, broadcastDir, isBroadcastId, isRoomId, segmentIndex, segmentName } from '../media/hls-output/hls-paths';
import type { PlayQuery, VodCatalog } from '../vod/catalog-port';
import { VodInputError } from './flv-file-tags';
import { JobPool } from './job-pool';
import { fileBody } from './open-file';
import { ReplayMediaError, ReplayNotEndedError, makeReplayMp4 } from './replay-mp4';
import { makeVodHls } from './vod-hls-maker';

export type Query = PlayQuery;

/** The part of the library's catalog these paths use. */
export type VodCatalogPort = Pick<VodCatalog, 'byId' | 'checkPlay'>;

/** Whether a replay may be served to this request: 'hidden' for a hidden replay asked by neither its host nor the admin. */
export type ReplayAccess = (roomId: string, broadcastId: string, query: Query) => Promise<'ok' | 'hidden'>;

export interface VodMediaOptions {
  catalog: VodCatalogPort;
  /** DATA_DIR/vod-hls */
  vodHlsRoot: string;
  /** DATA_DIR/hls (the recorder's root) */
  hlsRoot: string;
  fragmentS: number;
  /** remux jobs at once (default 2) */
  jobs?: number;
  replayAccess?: ReplayAccess;
  /** a just-ended broadcast's last files are being written: resolves once they are */
  writing?(roomId: string, broadcastId: string): Promise<void> | undefined;
}

export const REPLAY_MP4 = 'replay.mp4';
const VIDEO_ID = /^[A-Za-z0-9_-]{1,64}$/;
const M3U8 = 'application/vnd.apple.mpegurl';

const notFound = (what: string): DomainError => new DomainError('not_found', 'not_found', `No ${what} here.`);
const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);
const mtimeOf = (p: string): Promise<number | null> => stat(p).then((st) => st.mtimeMs, () => null);

/** The playlist with `suffix` (a private video's signature) on every segment URI. */
export function signPlaylist(text: string, suffix: string): string {
  return suffix ? text.replace(/^(\d{1,9}\.ts)$/gm, `$1${suffix}`) : text;
}

function signatureSuffix(query: Query): string {
  const keep = ['expires', 'sign', 'user', 'gen'].flatMap((k) => {
    const v = query[k];
    return typeof v === 'string' ? [`${k}=${encodeURIComponent(v)}`] : [];
  });
  return keep.length ? `?${keep.join('&')}` : '';
}

export class VodMediaHttp {
  private readonly jobs: JobPool<unknown>;

  constructor(private readonly o: VodMediaOptions) {
    this.jobs = new JobPool(o.jobs ?? 2);
  }

  /** The rendition folder of a video, made first if it is not there yet. */
  async ensureHls(id: string, source: NonNullable<Awaited<ReturnType<VodCatalog['byId']>>>): Promise<string> {
    const dir = join(this.o.vodHlsRoot, id);
    const playlist = join(dir, VOD_PLAYLIST);
    // the playlist carries its source's modification time: another one means the file was replaced under this id
    const sourceMtime = (await mtimeOf(source.path)) ?? 0;
    const made = await mtimeOf(playlist);
    if (made !== null && Math.abs(made - sourceMtime) < 1) return dir;
    try {
      await this.jobs.run(`vod:${id}`, async () => {
        if (made !== null) await rm(dir, { recursive: true, force: true });
        const r = await makeVodHls({ path: source.path, format: source.video.format }, dir, this.o.fragmentS);
        await utimes(playlist, new Date(), new Date(sourceMtime));
        return r;
      });
    } catch (err) {
      if (err instanceof VodInputError) throw new DomainError('unsupported_media', 'unplayable_video', `This video cannot be segmented: ${err.message}`);
      throw err;
    }
    return dir;
  }

  /** The video left the library: its rendition goes too. */
  async removeHls(id: string): Promise<void> {
    if (VIDEO_ID.test(id)) await rm(join(this.o.vodHlsRoot, id), { recursive: true, force: true });
  }

  async vodFile(id: string, file: string, query: Query): Promise<MediaBody> {
    const playlist = file === VOD_PLAYLIST;
    const index = playlist ? null : segmentIndex(file);
    if (!VIDEO_ID.test(id) || (!playlist && index === null)) throw notFound('such file');
    const source = await this.o.catalog.byId(id);
    if (!source) throw notFound('such video');
    const refused = this.o.catalog.checkPlay(source.video, query);
    if (refused) throw new DomainError('forbidden', 'play_forbidden', refused);
    const dir = await this.ensureHls(id, source);
    const cache = source.video.public ? 'public, max-age=86400' : 'private, max-age=86400';
    const body = await fileBody(join(dir, playlist ? VOD_PLAYLIST : segmentName(index!)), playlist ? M3U8 : 'video/mp2t', cache);
    if (!body) throw notFound('such file');
    if (!playlist || source.video.public) return body;
    // a private video's segments need the signature too: the playlist names them with it (small: read whole)
    const chunks: Buffer[] = [];
    for await (const c of body.file!.stream(0, body.size - 1)) chunks.push(c as Buffer);
    const bytes = Buffer.from(signPlaylist(Buffer.concat(chunks).toString('utf8'), signatureSuffix(query)));
    return { type: M3U8, cache: 'private, no-cache', size: bytes.length, bytes, etag: body.etag, lastModified: body.lastModified };
  }

  async replayMp4(roomId: string, broadcastId: string, query: Query): Promise<MediaBody> {
    if (!isRoomId(roomId) || !isBroadcastId(broadcastId)) throw notFound('such replay');
    const dir = broadcastDir(this.o.hlsRoot, roomId, broadcastId);
    if (!(await exists(join(dir, VOD_PLAYLIST)))) throw notFound('such replay');
    if ((await this.o.replayAccess?.(roomId, broadcastId, query)) === 'hidden') throw notFound('such replay');
    await this.o.writing?.(roomId, broadcastId);
    const out = join(dir, REPLAY_MP4);
    if (!(await exists(out))) {
      try {
        await this.jobs.run(`replay:${roomId}/${broadcastId}`, () => makeReplayMp4(dir, out));
      } catch (err) {
        if (err instanceof ReplayNotEndedError) throw new DomainError('conflict', 'replay_live', 'The broadcast is still live: its MP4 is made once it ends.');
        if (err instanceof ReplayMediaError) throw notFound('media in this replay');
        throw err;
      }
    }
    const body = await fileBody(out, 'video/mp4', 'public, max-age=86400');
    if (!body) throw notFound('such replay');
    return body;
  }
}
