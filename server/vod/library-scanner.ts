// Keeps the catalog in step with DATA_DIR/vod: fs.watch wakes a scan soon after a change, a periodic rescan
// catches what watching misses (network file systems, a missed event). A new or changed file is probed only once
// its size and modification time have stayed the same for `settleMs` (two looks at least that far apart) (a copy still being
// written waits); files gone from the folder drop out; files that fail the probe are logged once and not listed.
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { VIDEO_NAME_PATTERN } from '../../typings/vod';
import { ProbeError } from './probe-error';
import { probeVideo } from './probe';
import type { VideoCatalog } from './video-catalog';

export interface LibraryScannerOptions {
  /** periodic rescan (VOD_SCAN_S), ms */
  rescanMs: number;
  /** a file must look the same this long apart before it is probed (default 1 s) */
  settleMs?: number;
}

interface Seen { size: number; mtimeMs: number }

const same = (a: Seen | undefined, b: Seen): boolean => a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;

export class LibraryScanner {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  /** files seen once, waiting to look the same again */
  private readonly pending = new Map<string, Seen & { at: number }>();
  /** files that failed the probe as they are now (not probed again until they change) */
  private readonly refused = new Map<string, Seen>();
  private readonly settleMs: number;

  constructor(private readonly catalog: VideoCatalog, private readonly o: LibraryScannerOptions) {
    this.settleMs = o.settleMs ?? 1000;
  }

  async start(): Promise<void> {
    await mkdir(this.catalog.root, { recursive: true });
    try {
      this.watcher = watch(this.catalog.root, () => this.schedule(200));
      this.watcher.on('error', (err) => this.catalog.log.warn({ err }, 'vod library watch failed; the periodic rescan goes on'));
    } catch (err) {
      this.catalog.log.warn({ err }, 'vod library cannot be watched; relying on the periodic rescan');
    }
    this.timer = setInterval(() => this.schedule(0), this.o.rescanMs);
    this.timer.unref();
    await this.scan();
  }

  /** One scan now (or right after the one running); resolves when it is done. */
  scan(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.scanOnce()
      .catch((err) => this.catalog.log.error({ err }, 'vod library scan failed'))
      .finally(() => {
        this.running = null;
        if (this.again && !this.closed) {
          this.again = false;
          void this.scan();
        }
      });
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.closed || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.scan();
    }, ms);
    this.soon.unref();
  }

  private async scanOnce(): Promise<void> {
    // the records before the folder: an upload lands (file renamed in, then recorded) while a scan runs, and a
    // record newer than the listing would look like a file that is gone
    const records = await this.catalog.store.all();
    const names = (await readdir(this.catalog.root).catch(() => [] as string[])).filter((n) => VIDEO_NAME_PATTERN.test(n));
    const files = new Map<string, Seen>();
    for (const name of names) {
      const st = await this.look(name);
      if (st) files.set(name, st);
    }
    for (const r of records) {
      const now = files.get(r.name);
      if (!now) {
        if (!(await this.look(r.name))) await this.catalog.forget(r); // gone for certain, not replaced meanwhile
      } else if (same({ size: r.sizeBytes, mtimeMs: r.mtimeMs }, now)) files.delete(r.name); // as probed: nothing to do
    }
    let waiting = false;
    for (const [name, now] of files) {
      if (same(this.refused.get(name), now)) continue;
      const before = this.pending.get(name);
      if (!same(before, now)) {
        this.pending.set(name, { ...now, at: Date.now() }); // first look, or still changing: look again later
        waiting = true;
        continue;
      }
      if (Date.now() - before!.at < this.settleMs) {
        waiting = true; // the same twice, but too soon to tell a pause in the copy from its end
        continue;
      }
      this.pending.delete(name);
      await this.probe(name, now);
    }
    for (const name of [...this.pending.keys(), ...this.refused.keys()]) {
      if (!files.has(name)) {
        this.pending.delete(name);
        this.refused.delete(name);
      }
    }
    if (waiting) this.schedule(this.settleMs);
  }

  private async look(name: string): Promise<Seen | null> {
    const st = await stat(this.catalog.pathOf(name)).catch(() => null);
    return st?.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : null;
  }

  private async probe(name: string, seen: Seen): Promise<void> {
    try {
      const probed = await probeVideo(this.catalog.pathOf(name));
      if (probed.sizeBytes !== seen.size) return; // changed under us: the next scan looks again
      await this.catalog.record(name, probed, seen.mtimeMs);
      this.refused.delete(name);
      this.catalog.log.info({ name, durationS: probed.durationS }, 'vod library: video added');
    } catch (err) {
      if (!(err instanceof ProbeError)) throw err;
      this.refused.set(name, seen);
      const old = await this.catalog.store.byName(name);
      if (old) await this.catalog.forget(old);
      this.catalog.log.warn({ name, reason: err.message, failure: err.failure }, 'vod library: file not listed');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    await this.running;
  }
}
