// Co-host guests' publishes in the embedded plane (issue 15): `/live/<roomId>~g1`…`~g3` go through the same RTMP
// admission as the host (signature sync, packets held, async admit) but ask the GuestPublishCheck, and never
// touch the room's lifecycle or its replay. Each guest gets FLV, RTMP play and a live-window HLS (RoomMedia owns
// them); its HLS files go when it ends. A vacated slot is disconnected at once; a re-check against the line-up
// every second catches a node that missed the event.
import { rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { GuestSlot } from '../../../typings/cohost';
import { newBroadcastId } from '../../rooms/ids';
import { HlsRecorder } from '../hls-output/hls-recorder';
import { recorderFs } from '../hls-output/recorder-fs';
import { streamKeyOf } from '../rtmp/stream-path';
import type { StreamRequest } from '../rtmp/types';
import type { GuestPublishCheck } from '../../rooms/cohosts/guest-publish';
import type { RoomMediaTable } from './room-media-table';

/** How often each room with guest publishers is compared with its line-up (the brief: ≤ 1 s). */
export const LINEUP_RECHECK_MS = 1000;

export interface GuestStreamsOptions {
  check: GuestPublishCheck | undefined;
  media: RoomMediaTable;
  /** closes a stream's publisher and RTMP players (the ingest's disconnect) */
  disconnect(key: string): void;
  /** holds a publisher while its HLS writes are behind */
  hold(key: string, behind: boolean): void;
  /** guests' live HLS folders: apart from the replays' root, so recovery and retention never see them */
  root: string;
  hls: { fragmentS: number; playlistLengthS: number; maxSegmentBytes: number };
  log: Logger;
  recheckMs?: number;
}

export class GuestStreams {
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  /** each guest recorder's folder, to remove once it is done */
  private readonly dirs = new WeakMap<HlsRecorder, string>();

  constructor(private readonly o: GuestStreamsOptions) {
    o.check?.onSlotsVacated((roomId, slots) => {
      for (const slot of slots) this.vacate(roomId, slot, 'cohost_removed');
    });
  }

  /** Starts the line-up re-check; a crash's leftover guest folders are removed first (they are never replays). */
  async start(): Promise<void> {
    await recorderFs.removeTree(this.o.root).catch(() => undefined);
    this.timer ??= setInterval(() => void this.recheck(), this.o.recheckMs ?? LINEUP_RECHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Sync check of a guest publish: the guest ticket's signature, and one publisher per slot. */
  checkPublish(req: StreamRequest & { slot: GuestSlot }): string | null {
    if (!this.o.check) return 'cohosts_unavailable';
    const busy = this.o.media.find(req.roomId)?.findGuest(req.slot)?.publisher;
    return this.o.check.verify(req.roomId, req.slot, req.query) ?? (busy && busy !== req.sessionId ? 'already_publishing' : null);
  }

  /** Async check: the ticket's user is the slot's accepted guest now; then the slot's publisher is this session. */
  async admitPublish(req: StreamRequest & { slot: GuestSlot }): Promise<string | null> {
    if (!this.o.check) return 'cohosts_unavailable';
    const reason = await this.o.check.admit(req.roomId, req.slot, req.query);
    if (reason) return reason;
    return this.o.media.get(req.roomId).guest(req.slot).admit(req.sessionId) ? null : 'already_publishing';
  }

  /** First packets: the guest's live HLS starts (live window only: replay off, so old segments are deleted). */
  publishStarted(req: StreamRequest & { slot: GuestSlot }): void {
    const guest = this.o.media.find(req.roomId)?.findGuest(req.slot);
    if (!guest) return;
    const key = streamKeyOf(req.roomId, req.slot);
    const dir = join(this.o.root, key, newBroadcastId());
    const { hls, log } = this.o;
    const replaced = guest.started(req.sessionId, dir, () => {
      const recorder = new HlsRecorder({
        dir, fragmentS: hls.fragmentS, playlistLengthS: hls.playlistLengthS, replay: false, maxSegmentBytes: hls.maxSegmentBytes,
        log: log.child({ roomId: req.roomId, slot: req.slot }), onBacklog: (behind) => this.o.hold(key, behind),
      });
      this.dirs.set(recorder, dir);
      return recorder;
    });
    this.removeFiles(replaced);
  }

  publishStopped(req: StreamRequest & { slot: GuestSlot }): void {
    const m = this.o.media.find(req.roomId);
    const guest = m?.findGuest(req.slot);
    if (!m || !guest?.left(req.sessionId).left) return;
    this.removeFiles(m.endGuest(req.slot));
  }

  /** The room ended: every guest's publisher, players and viewers go, and their live HLS files. */
  roomEnded(roomId: string): void {
    const m = this.o.media.find(roomId);
    for (const recorder of m?.endGuests() ?? []) this.removeFiles(recorder);
    for (const slot of ['g1', 'g2', 'g3'] as const) this.o.disconnect(streamKeyOf(roomId, slot));
  }

  /** Server stopping: guests' HLS ended (its files are removed at the next start). */
  close(): void {
    this.stop();
    for (const m of this.o.media.all()) m.endGuests();
  }

  private vacate(roomId: string, slot: GuestSlot, reason: string): void {
    const m = this.o.media.find(roomId);
    if (!m?.findGuest(slot)?.publisher) return;
    this.o.log.info({ roomId, slot, reason }, 'co-host guest publisher disconnected');
    this.o.disconnect(streamKeyOf(roomId, slot)); // its publishStopped removes the slot's media
  }

  /** Every room with a guest publisher here, against the store's line-up: a slot no longer in it is vacated. */
  private async recheck(): Promise<void> {
    if (this.checking || !this.o.check) return;
    this.checking = true;
    try {
      for (const m of [...this.o.media.all()]) {
        const publishing = m.guestPublishers();
        if (!publishing.length) continue;
        const lineup = await this.o.check.lineup(m.roomId).catch((err: unknown) => {
          this.o.log.warn({ err, roomId: m.roomId }, 'co-host line-up re-check failed');
          return null;
        });
        if (!lineup) continue;
        const seated = new Set(lineup.map((g) => g.slot));
        for (const slot of publishing) if (!seated.has(slot)) this.vacate(m.roomId, slot, 'not_in_lineup');
      }
    } finally {
      this.checking = false;
    }
  }

  /** A guest's ended live HLS: its folder goes once its last writes are done. */
  private removeFiles(recorder: HlsRecorder | null): void {
    const dir = recorder && this.dirs.get(recorder);
    if (!recorder || !dir) return;
    // the slot's folder goes too once empty (rmdir refuses while a later publish of the slot writes there)
    void recorder.settled().then(() => recorderFs.removeTree(dir)).then(() => rmdir(dirname(dir)).catch(() => undefined))
      .catch((err: unknown) => this.o.log.warn({ err, dir }, 'removing a guest\'s live HLS failed'));
  }
}
