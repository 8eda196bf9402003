// The embedded plane's recordings on disk (DATA_DIR/hls): crash recovery at start, the replay sweep and the disk
// budget it counts, recorders that ended and still write their last files (replays and deletion wait for them),
// and the removal of a deleted room's files, off the event loop.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { Metrics } from '../../metrics';
import type { RoomRecord } from '../../store/room-store';
import { DiskBudget } from '../hls-output/disk-budget';
import type { HlsRecorder } from '../hls-output/hls-recorder';
import { broadcastDir } from '../hls-output/hls-paths';
import { recorderFs } from '../hls-output/recorder-fs';
import { closeBroadcast, recoverRecordings } from '../hls-output/recovery';
import { sweepReplays } from '../hls-output/replay-retention';

export interface RecordingsOptions {
  config: Config;
  log: Logger;
  metrics: Metrics;
  findRoom(id: string): Promise<RoomRecord | null>;
}

const key = (roomId: string, broadcastId: string) => `${roomId}/${broadcastId}`;

export class Recordings {
  readonly hlsRoot: string;
  /** recorders that ended and still write their last files, by `<room>/<broadcast>` */
  private readonly finishing = new Map<string, Promise<void>>();
  /** deleted rooms whose recordings are being removed: their replays are gone already */
  private readonly removing = new Set<string>();
  private disk: DiskBudget | null = null;
  private diskCounted: Promise<unknown> = Promise.resolve();
  /** crash recovery (start): publishes and the replay sweep wait for it */
  private recovered: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: RecordingsOptions) {
    this.hlsRoot = join(o.config.DATA_DIR, 'hls');
  }

  /** A kill -9 left temp files and unclosed playlists: tidied before a publisher resumes, closed where off air. */
  recover(): void {
    this.recovered = recoverRecordings({ root: this.hlsRoot, findRoom: this.o.findRoom, log: this.o.log })
      .catch((err) => this.o.log.error({ err }, 'recovering recordings failed'));
  }

  sweep(): void {
    const { config, log } = this.o;
    const swept = this.recovered.then(() => sweepReplays({
      root: this.hlsRoot, replay: config.REPLAY, retentionDays: config.REPLAY_RETENTION_DAYS, findRoom: this.o.findRoom, log,
    })).catch((err) => log.error({ err }, 'replay sweep failed'));
    // the sweep removed files: count what is left (publishes wait for the first count)
    this.diskCounted = swept.then(() => this.budget().rescan()).catch((err) => log.error({ err }, 'disk usage count failed'));
  }

  /** Replay quotas and the free-space watermark (issue 10): made on first use, counted from disk by sweep(). */
  budget(): DiskBudget {
    const { config } = this.o;
    const mb = (n: number) => Math.floor(n * 1024 * 1024);
    this.disk ??= new DiskBudget({
      root: this.hlsRoot, watched: [config.DATA_DIR, this.hlsRoot],
      maxBroadcastBytes: mb(config.REPLAY_MAX_BROADCAST_MB), maxRoomBytes: mb(config.REPLAY_MAX_ROOM_MB),
      maxTotalBytes: mb(config.REPLAY_MAX_TOTAL_MB), minFreeBytes: mb(config.DISK_MIN_FREE_MB),
    });
    return this.disk;
  }

  /** Why the disk refuses a new publish to this room (below the watermark, or a replay quota reached), or null. */
  async publishRefusal(roomId: string): Promise<string | null> {
    await this.recovered;
    await this.diskCounted;
    const reason = this.budget().admit(roomId);
    if (reason) this.o.metrics.limitRefusals.inc({ reason });
    return reason;
  }

  /** While a just-ended broadcast's last files are being written: resolves once they are. */
  writing(roomId: string, broadcastId: string): Promise<void> | undefined {
    return this.finishing.get(key(roomId, broadcastId));
  }

  isRemoving(roomId: string): boolean {
    return this.removing.has(roomId);
  }

  /** Everything still being written (shutdown waits for it). */
  stillWriting(): Promise<void>[] {
    return [...this.finishing.values()];
  }

  /** An ended recorder still writes its last files: remember it until it is done. */
  finished(roomId: string, recorder: HlsRecorder | null): void {
    if (recorder) this.track(key(roomId, recorder.cache.broadcastId), recorder.settled());
  }

  /**
   * The room ended with no recorder here: its publisher was lost to a crash or restart and never came back within
   * the grace. Close the recording the dead process left open; replay requests wait for it like for a recorder.
   */
  closeOrphan(roomId: string, broadcastId: string): void {
    this.track(key(roomId, broadcastId), this.recovered.then(() => closeBroadcast(broadcastDir(this.hlsRoot, roomId, broadcastId)))
      .then(() => undefined, (err) => this.o.log.error({ err, roomId }, 'closing a recording failed')));
  }

  /** A deleted room's recordings: removed once its last recorder is done writing. */
  async removeRoom(roomId: string): Promise<void> {
    const writing = [...this.finishing].filter(([k]) => k.startsWith(`${roomId}/`)).map(([, p]) => p);
    this.removing.add(roomId);
    try {
      await Promise.all(writing);
      await recorderFs.removeTree(join(this.hlsRoot, roomId));
    } catch (err) {
      this.o.log.error({ err, roomId }, 'removing a deleted room\'s recordings failed');
    } finally {
      this.removing.delete(roomId);
    }
    this.budget().forgetRoom(roomId);
  }

  private track(k: string, settled: Promise<void>): void {
    const done = settled.finally(() => {
      if (this.finishing.get(k) === done) this.finishing.delete(k);
    });
    this.finishing.set(k, done);
  }
}
