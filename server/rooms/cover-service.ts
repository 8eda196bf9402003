// Room covers uploaded by their host: checked, rate-limited, stripped of metadata, stored, set on the room;
// removed with the room. No HTTP here: the route hands in the declared type and a body reader.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { DomainError, RateLimited } from '../errors';
import { KeyedCount } from '../limits/keyed-count';
import { PerMinute } from '../limits/per-minute';
import { COVER_VERSION_PATTERN, type CoverFile, type CoverFiles } from '../store/cover-files';
import type { RoomRecord } from '../store/room-store';
import { cleanCover, COVER_EXTENSION, COVER_TYPES, unsupportedType, type CoverType } from './cover/clean-cover';
import type { Actor } from './ports';
import type { RoomService } from './room-service';

export interface CoverServiceOptions {
  rooms: RoomService;
  files: CoverFiles;
  perUserPerMin: number;
  /** uploads being read and cleaned at once, in total: each holds up to COVER_MAX_BYTES in memory */
  maxInFlight?: number;
  onLimit?: (reason: string, key: string) => void;
  log?: Logger;
}

/** The cover's URL for a version (built by the HTTP layer from the request's base). */
export type CoverUrl = (version: string) => string;

export class CoverService {
  private readonly perUser: PerMinute;
  private readonly inFlight: KeyedCount;
  /** uploads of one room run one after another, so the newest cover and the files left on disk agree */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: CoverServiceOptions) {
    this.perUser = new PerMinute(opts.perUserPerMin, {
      code: 'cover_upload_rate_user', message: 'You are uploading covers too fast; try again in {s} s.',
    }, opts.onLimit);
    this.inFlight = new KeyedCount(opts.maxInFlight ?? 16);
    opts.rooms.events.on('deleted', (id) => {
      opts.files.remove(id).catch((err: unknown) => opts.log?.error({ err, roomId: id }, 'cover removal failed'));
    });
  }

  /** Checks the label before the body is read: 415 unless image/jpeg or image/png. */
  acceptType(contentType: string): CoverType {
    const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
    if (!(COVER_TYPES as readonly string[]).includes(type)) throw unsupportedType();
    return type as CoverType;
  }

  async upload(roomId: string, actor: Actor & { kind: 'user' }, declared: CoverType, readBody: () => Promise<Buffer>,
    urlOf: CoverUrl): Promise<RoomRecord> {
    await this.opts.rooms.openFor(roomId, actor);
    await this.perUser.take(actor.userId);
    const release = this.inFlight.acquire('all');
    if (!release) {
      this.opts.onLimit?.('cover_uploads_busy', actor.userId);
      throw new RateLimited('Too many covers are being uploaded right now; try again in a second.', 'cover_uploads_busy', 1);
    }
    let image;
    try {
      image = cleanCover(await readBody(), declared);
    } finally {
      release();
    }
    const version = createHash('sha256').update(image.bytes).digest('base64url').slice(0, 22);
    return this.serially(roomId, async () => {
      await this.opts.files.save(roomId, version, COVER_EXTENSION[image.type], image.bytes);
      const room = await this.opts.rooms.setCover(roomId, urlOf(version)).catch(async (err: unknown) => {
        await this.opts.files.remove(roomId, this.currentVersion(await this.opts.rooms.find(roomId)) ?? undefined);
        throw err;
      });
      if (!room) {
        // ended or deleted while the image was read: it is nobody's cover
        await this.opts.files.remove(roomId, this.currentVersion(await this.opts.rooms.find(roomId)) ?? undefined);
        throw new DomainError('conflict', 'room_ended', `Room "${roomId}" has ended.`);
      }
      await this.opts.files.remove(roomId, version);
      return room;
    });
  }

  /** The file of a version (immutable: the version is its hash), or of the room's current cover. */
  async file(roomId: string, version: string | null): Promise<{ file: CoverFile; version: string } | null> {
    if (version) {
      const file = await this.opts.files.open(roomId, version);
      if (file) return { file, version };
    }
    const current = this.currentVersion(await this.opts.rooms.get(roomId));
    const file = current ? await this.opts.files.open(roomId, current) : null;
    return file && current ? { file, version: current } : null;
  }

  /** The version in a room's cover URL when it is one of ours (…/api/rooms/<id>/cover?v=<version>). */
  currentVersion(room: RoomRecord | null): string | null {
    if (!room?.cover) return null;
    try {
      const url = new URL(room.cover);
      if (url.pathname !== `/api/rooms/${room.id}/cover`) return null;
      const version = url.searchParams.get('v');
      return version && COVER_VERSION_PATTERN.test(version) ? version : null;
    } catch {
      return null;
    }
  }

  private serially<T>(roomId: string, task: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(roomId) ?? Promise.resolve()).catch(() => undefined).then(task);
    const settled = run.catch(() => undefined);
    this.queues.set(roomId, settled);
    void settled.then(() => { if (this.queues.get(roomId) === settled) this.queues.delete(roomId); });
    return run;
  }
}
