// One RTMP VOD play, the way nginx-rtmp's `play` serves a file: Play.Start, onMetaData with the duration, the
// sequence headers, a start burst (the client's buffer fills at once) then tags paced at real time; seek answered
// with Seek.Notify from the keyframe at or before the target; pause/unpause; at the end StreamEOF, onPlayStatus
// Play.Complete and Play.Stop. A client that reads slowly stops the reading (bounded socket queue), not the server.
import type { Logger } from 'pino';
import type { PlaySession } from '../rtmp/types';
import { CSID_AUDIO, CSID_VIDEO, RtmpOut, STREAM_BEGIN, STREAM_EOF, STREAM_IS_RECORDED, type AmfValue } from './rtmp-out';
import { SeekGate } from './seek-gate';
import type { VodCursor, VodIndex, VodTag } from './types';

export interface VodPlayerOptions {
  /** media sent ahead of the clock: at the start, after a seek and after unpausing (nginx fills the client's buffer too) */
  burstMs: number;
  /** timer granularity of the pacing: tags due within it go out together (the client holds the burst ahead, so a
   * coarse tick costs nothing there and saves a wake-up and a write per player every few frames) */
  tickMs: number;
  /** bytes queued on the socket past which reading waits for it to drain */
  highWaterBytes: number;
  /** a player paused this long is closed */
  pausedTimeoutMs: number;
  /** after Play.Complete the connection stays this long for a seek back, then closes */
  endLingerMs: number;
  /** seeks are applied at most this often (the latest wins: scrubbing coalesces) */
  seekIntervalMs: number;
  /** more seeks than this in a minute close the connection (a flood) */
  maxSeeksPerMinute: number;
}

export const PLAYER_DEFAULTS: VodPlayerOptions = {
  burstMs: 1000, tickMs: 200, highWaterBytes: 512 * 1024, pausedTimeoutMs: 10 * 60_000, endLingerMs: 30_000,
  seekIntervalMs: 100, maxSeeksPerMinute: 120,
};

export class VodPlayer {
  private readonly out: RtmpOut;
  private readonly sid: number;
  private readonly seeks: SeekGate;
  private cursor: VodCursor | null = null;
  /** a tag read but not yet due */
  private pending: VodTag | null = null;
  /** bumped by seek, pause and close: a pump of an older generation stops */
  private gen = 0;
  /** wall clock and media time the pacing counts from */
  private clockStart = 0;
  private mediaStart = 0;
  private lastTs = 0;
  /**
   * subtracted from the timestamps sent. librtmp (rtmpdump) adds a play's start to every timestamp it gets, so
   * after `play(name, start)` they count from the start keyframe; after a `seek` they stay the file's (Flash, ffmpeg).
   */
  private tsBase = 0;
  private paused = false;
  private timer: NodeJS.Timeout | null = null;
  private corked = false;
  private closed = false;

  constructor(
    private readonly session: PlaySession,
    private readonly index: VodIndex,
    private readonly opts: VodPlayerOptions,
    private readonly log: Logger,
    private readonly onLimit: (reason: string) => void,
  ) {
    this.out = new RtmpOut(session.socket, session.rtmp.outChunkSize);
    this.sid = session.rtmp.streamId ?? 1;
    this.seeks = new SeekGate(opts.seekIntervalMs, opts.maxSeeksPerMinute, (ms) => void this.seekNow(ms));
    session.streamCommandHandler = this.onCommand;
    session.socket.once('close', () => this.stop());
  }

  /** Answer the play and start sending from `startMs` (the play command's start; negative: the beginning). */
  async start(startMs: number): Promise<void> {
    const { out, sid } = this;
    out.userControl(STREAM_BEGIN, sid);
    out.status(sid, 'status', 'NetStream.Play.Reset', 'Playing and resetting stream.');
    out.status(sid, 'status', 'NetStream.Play.Start', 'Start video on demand');
    out.data(sid, 0, '|RtmpSampleAccess', true, true);
    out.userControl(STREAM_IS_RECORDED, sid);
    out.data(sid, 0, 'onMetaData', this.metadata());
    const start = Math.min(Math.max(0, startMs), this.index.durationMs);
    if (start > 0) this.tsBase = this.index.keyframeAt(start);
    await this.seekTo(start, false);
  }

  private metadata(): { [k: string]: AmfValue } {
    const ix = this.index;
    // the last tag's time, not the track ends': rtmpdump calls a play that stops short of `duration` incomplete
    const meta: { [k: string]: AmfValue } = { duration: ix.lastTs / 1000 };
    if (ix.videoHeader) Object.assign(meta, { width: ix.width, height: ix.height, videocodecid: 7 });
    if (ix.audioHeader) {
      Object.assign(meta, { audiocodecid: 10, audiosamplerate: ix.audioSampleRate, audiochannels: ix.audioChannels,
        stereo: ix.audioChannels > 1 });
    }
    return meta;
  }

  private readonly onCommand = (msg: { cmd?: unknown; ms?: unknown; pause?: unknown }): void => {
    if (this.closed) return;
    const ms = typeof msg.ms === 'number' && Number.isFinite(msg.ms) ? Math.max(0, msg.ms) : null;
    if (msg.cmd === 'seek' && ms !== null) {
      if (!this.seeks.request(ms)) this.limit('vod_seek_flood');
    } else if (msg.cmd === 'pause') {
      if (msg.pause === true) this.pause();
      else if (msg.pause === false) this.unpause();
    }
  };

  private async seekNow(ms: number): Promise<void> {
    if (this.closed) return;
    await this.seekTo(Math.min(ms, this.index.durationMs), true);
  }

  /** Reopen at the keyframe at or before `ms` and resend the sequence headers; nginx answers a seek with Seek.Notify. */
  private async seekTo(ms: number, notify: boolean): Promise<void> {
    const gen = ++this.gen;
    this.clearTimer();
    this.uncork();
    this.pending = null;
    const old = this.cursor;
    this.cursor = null;
    try {
      await old?.close();
      const cursor = await this.index.open(ms);
      if (gen !== this.gen || this.closed) {
        await cursor.close();
        return;
      }
      this.cursor = cursor;
    } catch (err) {
      this.fail(err);
      return;
    }
    const key = this.index.keyframeAt(ms);
    if (notify) {
      this.tsBase = 0;
      this.out.userControl(STREAM_BEGIN, this.sid);
      this.out.status(this.sid, 'status', 'NetStream.Seek.Notify', `Seeking ${key} (stream ID: ${this.sid}).`);
      this.out.status(this.sid, 'status', 'NetStream.Play.Start', 'Start video on demand');
    }
    if (this.index.videoHeader) this.out.message(CSID_VIDEO, 9, this.sid, key - this.tsBase, null, this.index.videoHeader);
    if (this.index.audioHeader) this.out.message(CSID_AUDIO, 8, this.sid, key - this.tsBase, null, this.index.audioHeader);
    this.lastTs = key;
    this.restartClock(key);
    if (!this.paused) void this.pump(gen);
  }

  private restartClock(mediaTs: number): void {
    this.mediaStart = mediaTs;
    this.clockStart = Date.now();
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.gen++;
    this.clearTimer();
    this.uncork();
    this.out.status(this.sid, 'status', 'NetStream.Pause.Notify', 'Paused video on demand');
    this.timer = setTimeout(() => this.limit('vod_paused_too_long'), this.opts.pausedTimeoutMs);
  }

  private unpause(): void {
    if (!this.paused) return;
    this.paused = false;
    this.clearTimer();
    this.out.status(this.sid, 'status', 'NetStream.Unpause.Notify', 'Unpaused video on demand');
    // from where it stopped; the burst refills the client's buffer
    this.restartClock(this.pending?.ts ?? this.lastTs);
    if (this.cursor) void this.pump(++this.gen);
  }

  private async pump(gen: number): Promise<void> {
    const socket = this.session.socket;
    try {
      while (gen === this.gen && !this.closed) {
        if (socket.writableLength > this.opts.highWaterBytes) {
          this.uncork();
          await new Promise<void>((resolve) => {
            const done = () => { socket.off('drain', done); socket.off('close', done); resolve(); };
            socket.on('drain', done);
            socket.on('close', done);
          });
          continue;
        }
        const tag = this.pending ?? (await this.cursor!.next());
        this.pending = null;
        if (gen !== this.gen || this.closed) return;
        if (!tag) {
          this.complete();
          return;
        }
        const wait = this.clockStart + (tag.ts - this.mediaStart) - this.opts.burstMs - Date.now();
        if (wait > 0) {
          this.pending = tag;
          this.uncork();
          await new Promise<void>((resolve) => { this.timer = setTimeout(resolve, Math.max(wait, this.opts.tickMs)); });
          this.timer = null;
          continue;
        }
        if (!this.corked) {
          socket.cork();
          this.corked = true;
        }
        this.out.message(tag.type === 9 ? CSID_VIDEO : CSID_AUDIO, tag.type, this.sid, tag.ts - this.tsBase, tag.head, tag.body);
        this.lastTs = tag.ts;
      }
    } catch (err) {
      if (gen === this.gen) this.fail(err);
    } finally {
      if (gen === this.gen || this.closed) this.uncork();
    }
  }

  private complete(): void {
    this.uncork();
    this.out.userControl(STREAM_EOF, this.sid);
    this.out.data(this.sid, this.lastTs - this.tsBase, 'onPlayStatus', { level: 'status', code: 'NetStream.Play.Complete',
      duration: this.index.durationMs / 1000, bytes: this.out.bytes });
    this.out.status(this.sid, 'status', 'NetStream.Play.Stop', 'Stopped video on demand');
    this.timer = setTimeout(() => this.session.close(), this.opts.endLingerMs);
    this.timer.unref();
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    this.log.warn({ err, streamPath: this.session.streamPath }, 'RTMP VOD read failed; closing');
    this.session.refuse('NetStream.Play.Failed', 'the file could not be read');
  }

  private limit(reason: string): void {
    this.onLimit(reason);
    this.session.close();
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.session.socket.uncork();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The connection closed: stop reading, release the file. */
  private stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.gen++;
    this.clearTimer();
    this.seeks.stop();
    this.session.outBytes += this.out.bytes;
    void this.cursor?.close().catch(() => undefined);
    this.cursor = null;
  }
}
