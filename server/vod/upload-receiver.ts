// Receives a video upload into DATA_DIR/vod/.uploads/<name>.part, streamed (never whole in memory): the part file is
// created exclusively, so a second upload of the same name at once is refused (409) — also across processes on one
// disk; the size cap refuses a declared Content-Length at once and a body as soon as it passes the cap (413); free
// space is checked against the watermark before and while writing (507); a body that stalls is cut off. Whatever
// fails, the part file is removed. The catalog then probes it and renames it into place.
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { VIDEO_NAME_PATTERN } from '../../typings/vod';
import { DomainError, InvalidInput, StorageFull } from '../errors';

export const UPLOADS_DIR = '.uploads';
/** free space is asked again after this many bytes */
const FREE_CHECK_BYTES = 8 * 1024 * 1024;

export interface UploadReceiverOptions {
  /** DATA_DIR/vod */
  root: string;
  maxBytes: number;
  /** below this many free bytes (after the upload) it is refused (DISK_MIN_FREE_MB) */
  minFreeBytes: number;
  /** free bytes of a folder's file system (disk-budget's statfsFreeBytes; tests hand in a disk that is full) */
  freeBytes: (dir: string) => number | Promise<number>;
  /** nothing arrives for this long: the upload is cut off */
  idleMs: number;
}

const tooLarge = (max: number) => new DomainError('too_large', 'payload_too_large', `A video may be at most ${Math.round(max / 1048576)} MB.`);
const diskFull = () => new StorageFull('The server is low on disk space: the upload was not kept. Try again later.');

export function checkVideoName(name: string): string {
  // the router decodes %2F and friends: whatever arrives must still be one plain file name
  if (!VIDEO_NAME_PATTERN.test(name)) {
    throw new InvalidInput('The name must be letters, digits, "-", "_" or "." (not first), ending in .flv or .mp4.', 'invalid_video_name');
  }
  return name;
}

export class UploadReceiver {
  constructor(private readonly o: UploadReceiverOptions) {}

  get dir(): string { return join(this.o.root, UPLOADS_DIR); }

  /** Part files a crash left behind (at start, before any upload). */
  async sweep(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const f of await readdir(this.dir)) await rm(join(this.dir, f), { force: true, recursive: true });
  }

  /** Checks that need no body: the name, the declared size, the disk. */
  async precheck(name: string, req: IncomingMessage): Promise<void> {
    checkVideoName(name);
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') throw new DomainError('unsupported_media', 'unsupported_content_encoding', 'Send the video without Content-Encoding.');
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > this.o.maxBytes) throw tooLarge(this.o.maxBytes);
    await this.checkFree(Number.isFinite(declared) ? declared : 0);
  }

  private async checkFree(more: number): Promise<void> {
    const free = await this.o.freeBytes(this.o.root);
    if (free - more < this.o.minFreeBytes) throw diskFull();
  }

  /**
   * Streams the body into the part file and gives it to `use` (which must move or remove it); the part file is
   * removed on any failure, of the upload or of `use`.
   */
  async receive<T>(name: string, req: IncomingMessage, use: (partPath: string) => Promise<T>): Promise<T> {
    await this.precheck(name, req);
    await mkdir(this.dir, { recursive: true });
    const part = join(this.dir, `${name}.part`);
    const fh = await open(part, 'wx').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') throw new DomainError('conflict', 'upload_in_progress', `"${name}" is being uploaded already.`);
      throw err;
    });
    let closed = false;
    try {
      await this.copy(req, fh);
      await fh.close();
      closed = true;
      return await use(part);
    } finally {
      if (!closed) await fh.close().catch(() => undefined);
      await rm(part, { force: true });
    }
  }

  /** Event-driven (not for-await, which destroys the request on a refusal and so loses the JSON answer). */
  private copy(req: IncomingMessage, fh: FileHandle): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let size = 0;
      let sinceCheck = 0;
      let writing = Promise.resolve();
      let idle: NodeJS.Timeout | null = null;
      let settled = false;
      const done = (err: Error | null) => {
        if (settled) return;
        settled = true;
        if (idle) clearTimeout(idle);
        req.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort).off('close', onClose);
        if (err) {
          req.pause(); // Node drops the rest once the answer is sent
          reject(err);
        } else resolve();
      };
      const arm = () => {
        if (idle) clearTimeout(idle);
        idle = setTimeout(() => {
          done(new InvalidInput(`Nothing arrived for ${Math.round(this.o.idleMs / 1000)} s: the upload was cut off.`, 'upload_timeout'));
          // the 400 goes out first; then a slow client keeps neither its socket nor our part file
          setTimeout(() => req.socket?.destroy(), 500).unref();
        }, this.o.idleMs);
      };
      const onData = (chunk: Buffer) => {
        arm();
        size += chunk.length;
        if (size > this.o.maxBytes) return done(tooLarge(this.o.maxBytes));
        sinceCheck += chunk.length;
        const check = sinceCheck >= FREE_CHECK_BYTES;
        if (check) sinceCheck = 0;
        req.pause(); // one write at a time: memory stays at one chunk
        writing = writing
          .then(async () => {
            if (check) await this.checkFree(0);
            await fh.write(chunk);
          })
          .then(() => { if (!settled) req.resume(); },
            (err: NodeJS.ErrnoException) => done(err.code === 'ENOSPC' || err.code === 'EDQUOT' ? diskFull() : err));
      };
      const onEnd = () => {
        void writing.then(() => done(size === 0 ? new InvalidInput('Send the video as the request body.', 'body_missing') : null));
      };
      const onAbort = () => done(new InvalidInput('The upload was aborted before its end.', 'upload_aborted'));
      const onClose = () => { if (!req.complete) onAbort(); };
      arm();
      req.on('data', onData).on('end', onEnd).on('error', onAbort).on('aborted', onAbort).on('close', onClose);
    });
  }
}
