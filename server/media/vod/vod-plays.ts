// The RTMP `vod` app (nginx-rtmp's `application vod { play … }`): each play names a library file, is checked
// against the catalog (missing → StreamNotFound, refused → Play.Failed, as nginx answers) and gets a VodPlayer.
// The ingest's connection caps count these players; here are the VOD caps on top (per address and in total).
import type { Logger } from 'pino';
import { VIDEO_NAME_PATTERN } from '../../../typings/vod';
import type { PlaySession } from '../rtmp/types';
import { IndexCache } from './index-cache';
import { PLAYER_DEFAULTS, VodPlayer, type VodPlayerOptions } from './vod-player';
import type { VodCatalog, VodIndex } from './types';

export const VOD_APP = 'vod';

export interface VodPlaysOptions {
  catalog: VodCatalog;
  log: Logger;
  /** VOD players in total (default 500) and per address (default 20) */
  maxPlayers?: number;
  maxPerIp?: number;
  player?: Partial<VodPlayerOptions>;
  /** counts limit closes and refusals by reason (the ingest's limitRefusals) */
  onLimit?: (reason: string) => void;
}

export class VodPlays {
  private readonly cache = new IndexCache();
  private readonly perAddress = new Map<string, number>();
  private total = 0;
  private readonly sessions = new Set<PlaySession>();
  private readonly player: VodPlayerOptions;

  constructor(private readonly opts: VodPlaysOptions) {
    this.player = { ...PLAYER_DEFAULTS, ...opts.player };
  }

  /** Players now. */
  get players(): number {
    return this.total;
  }

  /** The most bytes queued on any player's socket now (a slow client must not grow it past the high-water mark). */
  maxQueuedBytes(): number {
    let max = 0;
    for (const s of this.sessions) max = Math.max(max, s.socket.writableLength);
    return max;
  }

  /** A play of the vod app the ingest admitted (its connection caps passed). Answers it or refuses it. */
  play(session: PlaySession): void {
    const address = (session.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const refusal = this.total >= (this.opts.maxPlayers ?? 500) ? 'vod_players'
      : (this.perAddress.get(address) ?? 0) >= (this.opts.maxPerIp ?? 20) ? 'vod_per_ip' : null;
    if (refusal) {
      this.opts.log.warn({ reason: refusal, address }, 'RTMP VOD play refused: too many players');
      this.opts.onLimit?.(refusal);
      session.refuse('NetStream.Play.Failed', refusal);
      return;
    }
    this.count(address, 1);
    this.sessions.add(session);
    session.socket.once('close', () => {
      this.count(address, -1);
      this.sessions.delete(session);
    });
    void this.open(session).catch((err: unknown) => {
      this.opts.log.error({ err, streamPath: session.streamPath }, 'RTMP VOD play failed');
      session.refuse('NetStream.Play.Failed', 'internal error');
    });
  }

  private async open(session: PlaySession): Promise<void> {
    const name = fileNameOf(session.streamName);
    const notFound = () => session.refuse('NetStream.Play.StreamNotFound', 'Video on demand stream not found');
    if (!VIDEO_NAME_PATTERN.test(name)) return notFound();
    const entry = await this.opts.catalog.byName(name);
    if (session.closing) return;
    if (!entry) return notFound();
    const denied = await this.opts.catalog.checkPlay(entry.video, { ...session.streamQuery });
    if (session.closing) return;
    if (denied) {
      this.opts.log.info({ streamPath: session.streamPath, reason: denied }, 'RTMP VOD play refused');
      return session.refuse('NetStream.Play.Failed', denied);
    }
    let index: VodIndex;
    try {
      index = await this.cache.get(entry.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return notFound();
      this.opts.log.warn({ err, path: entry.path }, 'RTMP VOD file not playable');
      return session.refuse('NetStream.Play.Failed', 'not playable');
    }
    if (session.closing) return;
    const start = session.rtmp.playStart ?? -2;
    const player = new VodPlayer(session, index, this.player, this.opts.log, (reason) => {
      this.opts.log.warn({ reason, streamPath: session.streamPath }, 'RTMP VOD player closed by a limit');
      this.opts.onLimit?.(reason);
    });
    await player.start(start);
  }

  private count(address: string, delta: number): void {
    this.total += delta;
    const n = (this.perAddress.get(address) ?? 0) + delta;
    if (n > 0) this.perAddress.set(address, n);
    else this.perAddress.delete(address);
  }
}

/**
 * The file a play names, as nginx-rtmp reads it: rtmpdump and ffmpeg send `rtmp://…/vod/a.flv` as "a" and
 * `…/vod/a.mp4` as "mp4:a.mp4"; a name without an extension means the format's (.flv without a prefix).
 */
export function fileNameOf(played: string): string {
  const prefixed = /^(mp4|flv):(.*)$/.exec(played);
  const name = prefixed ? prefixed[2]! : played;
  return /\.(flv|mp4)$/.test(name) ? name : `${name}.${prefixed ? prefixed[1] : 'flv'}`;
}
