// The video library (issue 14): what is in DATA_DIR/vod, probed and kept in the VideoStore. Lookups for the media
// side (VodCatalog), the API's list/get/patch/delete, play URLs (private videos signed), and uploads moved into
// place. No HTTP framework here: the routes call this; the scanner calls sync().
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { VIDEO_NAME_PATTERN, type Video, type VideoPatchRequest, type VideoPlayUrls } from '../../typings/vod';
import { DomainError } from '../errors';
import { randomId } from '../rooms/ids';
import { signMedia, toQuery, verifyMediaQuery } from '../signing/media-signature';
import type { VideoPosition, VideoRecord, VideoStore } from '../store/video-store';
import type { PlayQuery, VodCatalog } from './catalog-port';
import { ProbeError } from './probe-error';
import type { ProbeResult } from './probe-result';
import { probeVideo } from './probe';
import { videoView } from './video-view';

export const VIDEO_ID_PATTERN = /^[0-9A-Za-z]{12}$/;
/** the subject a private video's play signature is bound to (never a room id: those have no colon) */
export const vodSubject = (id: string): string => `vod:${id}`;

export interface VideoCatalogOptions {
  store: VideoStore;
  /** DATA_DIR/vod */
  root: string;
  /** DATA_DIR/vod-hls: a video's derived HLS folder is `<id>` in it (removed with the video) */
  vodHlsRoot?: string;
  signingSecret: string;
  playTtlS: number;
  log: Logger;
  now?: () => number;
}

export interface UrlBases { http: string; rtmp: string }

export interface VideoPage { videos: Video[]; next: VideoPosition | null }

const notFound = (): DomainError => new DomainError('not_found', 'video_not_found', 'No such video.');

export class VideoCatalog implements VodCatalog {
  private readonly now: () => number;

  constructor(private readonly o: VideoCatalogOptions) {
    this.now = o.now ?? Date.now;
  }

  get root(): string { return this.o.root; }

  pathOf(name: string): string { return join(this.o.root, name); }

  async byName(name: string): Promise<{ video: Video; path: string } | null> {
    if (!VIDEO_NAME_PATTERN.test(name)) return null;
    const r = await this.o.store.byName(name);
    return r ? { video: videoView(r), path: this.pathOf(r.name) } : null;
  }

  async byId(id: string): Promise<{ video: Video; path: string } | null> {
    if (!VIDEO_ID_PATTERN.test(id)) return null;
    const r = await this.o.store.get(id);
    return r ? { video: videoView(r), path: this.pathOf(r.name) } : null;
  }

  checkPlay(video: Video, query: PlayQuery): string | null {
    if (video.public) return null;
    const verdict = verifyMediaQuery(this.o.signingSecret, 'play', vodSubject(video.id), query, this.now() / 1000);
    return verdict.ok ? null : `This video is private: its play signature is ${verdict.reason.replace('_', ' ')}.`;
  }

  /** A video as a client may see it: a private one is not found unless `admin`. */
  async get(id: string, admin: boolean): Promise<Video> {
    const r = VIDEO_ID_PATTERN.test(id) ? await this.o.store.get(id) : null;
    if (!r || (!r.public && !admin)) throw notFound();
    return videoView(r);
  }

  async list(publicOnly: boolean, limit: number, after?: VideoPosition): Promise<VideoPage> {
    const rows = await this.o.store.list({ publicOnly, limit: limit + 1, after });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { videos: page.map(videoView), next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }

  async patch(id: string, p: VideoPatchRequest): Promise<Video> {
    if (!VIDEO_ID_PATTERN.test(id)) throw notFound();
    const r = await this.o.store.update(id, { title: p.title, public: p.public });
    if (!r) throw notFound();
    return videoView(r);
  }

  /** Removes the video, its file and its derived HLS. */
  async remove(id: string): Promise<void> {
    const r = VIDEO_ID_PATTERN.test(id) ? await this.o.store.remove(id) : null;
    if (!r) throw notFound();
    await this.dropFiles(r);
  }

  private async dropFiles(r: VideoRecord): Promise<void> {
    await unlink(this.pathOf(r.name)).catch(() => undefined);
    await this.dropHls(r.id);
  }

  private async dropHls(id: string): Promise<void> {
    if (this.o.vodHlsRoot) await rm(join(this.o.vodHlsRoot, id), { recursive: true, force: true });
  }

  playUrls(video: Video, bases: UrlBases): VideoPlayUrls {
    const expires = Math.floor(this.now() / 1000) + this.o.playTtlS;
    const q = video.public ? '' : `?${toQuery(signMedia(this.o.signingSecret, 'play', vodSubject(video.id), expires))}`;
    const rtmpRoot = bases.rtmp.replace(/\/live\/?$/, '');
    return {
      rtmp: `${rtmpRoot}/vod/${video.name}${q}`,
      hls: `${bases.http}/vod/${video.id}/index.m3u8${q}`,
      file: `${bases.http}/vod/${video.id}/file${q}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /**
   * Probes a finished upload and moves it into the library as `name` (replacing a video of that name, which keeps
   * its id, title and visibility). The temp file is removed whatever happens.
   */
  async addUpload(name: string, tempPath: string): Promise<Video> {
    try {
      const probed = await this.probeOrThrow(tempPath, name);
      await mkdir(this.o.root, { recursive: true });
      await rename(tempPath, this.pathOf(name));
      const st = await stat(this.pathOf(name));
      return videoView(await this.record(name, probed, st.mtimeMs));
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  private async probeOrThrow(path: string, name: string): Promise<ProbeResult> {
    try {
      return await probeVideo(path, name);
    } catch (err) {
      if (!(err instanceof ProbeError)) throw err;
      if (err.failure === 'unsupported') throw new DomainError('unsupported_media', 'unsupported_codec', `Unsupported media: ${err.message}.`);
      throw new DomainError('unprocessable', 'invalid_media', `Not a playable video: ${err.message}.`);
    }
  }

  /** Stores what the probe found for `name`: a new video, or new media facts for the one there. */
  async record(name: string, p: ProbeResult, mtimeMs: number): Promise<VideoRecord> {
    const facts = { format: p.format, durationS: p.durationS, sizeBytes: p.sizeBytes, video: p.video, audio: p.audio, mtimeMs };
    for (let attempt = 0; attempt < 3; attempt++) {
      const old = await this.o.store.byName(name);
      if (old) {
        await this.dropHls(old.id); // made from the old file
        return (await this.o.store.update(old.id, facts)) ?? old;
      }
      const fresh: VideoRecord = { id: randomId(12), name, title: name.replace(/\.(flv|mp4)$/i, ''), public: true, createdAt: this.now(), ...facts };
      if (await this.o.store.insert(fresh)) return fresh;
    }
    throw new Error(`video ${name} could not be stored`);
  }

  /** Forgets a video whose file is gone (the scan). */
  async forget(r: VideoRecord): Promise<void> {
    if (await this.o.store.remove(r.id)) await this.dropHls(r.id);
  }

  get store(): VideoStore { return this.o.store; }
  get log(): Logger { return this.o.log; }
}
