// The watch page's behaviour: follows the room (idle → live → ended), runs a player, reconnects after failures.
import type { PlayResponse, RoomEndedErrorBody, RoomResponse, RoomStatus } from '../../typings/api';
import { api, ApiError } from '../shared/api';
import { t } from '../shared/i18n';
import { preloadPlayer, startPlayback, UnsupportedBrowser, type Engine, type Source } from './player';
import type { GuestGrid } from './guest-grid';
import type { WatchView } from './watch-view';

/** Idle rooms are polled often: the page must start playing within seconds of the host going live. */
const POLL_IDLE_MS = 1500;
/** Live rooms are polled for the viewer count; the end usually shows up sooner, through the player. */
const POLL_LIVE_MS = 6000;
/** A live picture frozen this long means a dead connection that raised no error. */
const STALL_MS = 15000;
// a fresh broadcast's first HLS segment takes a few seconds to appear: retry quickly at first
const BACKOFF_MS = [1000, 1000, 2000, 3000, 5000];

type Mode = 'loading' | 'idle' | 'live' | 'ended' | 'missing';

export class WatchPage {
  private mode: Mode = 'loading';
  private engine: Engine | null = null;
  /** bumped whenever the player is replaced, so late results for an older player are dropped */
  private generation = 0;
  private failures = 0;
  private lastTime = -1;
  private lastProgressAt = 0;
  private polling = false;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly roomId: string, private readonly view: WatchView, private readonly flv: boolean,
    /** the co-hosts' tiles: fed each play answer's `guests`, stopped when the broadcast ends */
    private readonly grid?: GuestGrid,
  ) {}

  start(): void {
    const { video } = this.view;
    video.muted = true; // browsers only autoplay muted video; the unmute button is one tap away
    video.addEventListener('loadeddata', () => this.view.firstFrame());
    video.addEventListener('timeupdate', () => this.onProgress());
    video.addEventListener('volumechange', () => this.refreshMute());
    // a live playlist that ends (ENDLIST) is the broadcast ending: ask now rather than at the next poll
    video.addEventListener('ended', () => { if (this.mode === 'live') void this.poll(); });
    video.addEventListener('playing', () => { this.view.needsTap(false); this.refreshMute(); });
    this.view.unmute.addEventListener('click', () => {
      video.muted = false;
      if (video.volume === 0) video.volume = 1;
      this.refreshMute(); // at once: volumechange arrives a task later
      if (video.paused) this.tryPlay();
    });
    this.view.tapToPlay.addEventListener('click', () => this.tryPlay());
    setInterval(() => this.watchdog(), 2000);
    preloadPlayer(this.flv ? 'flv' : 'hls');
    void this.poll();
  }

  /** The chat socket told the room's state: act on it now rather than at the next poll. */
  roomState(status: RoomStatus): void {
    if (status === 'ended' && this.mode !== 'ended' && this.mode !== 'missing') void this.toEnded();
    else if (status === 'live' && this.mode === 'idle') void this.poll();
  }

  private get path(): string {
    return `/api/rooms/${encodeURIComponent(this.roomId)}`;
  }

  private async poll(): Promise<void> {
    if (this.polling) return; // one poll at a time, so there is only ever one timer
    this.polling = true;
    clearTimeout(this.pollTimer);
    let delay = POLL_LIVE_MS;
    try {
      const { room } = await api<RoomResponse>(this.path);
      // the player may have learned of the end while this poll was under way: ended is final
      if (this.mode === 'ended') return;
      this.view.room(room);
      if (room.status === 'idle') {
        this.toIdle();
        delay = POLL_IDLE_MS;
      } else if (room.status === 'live') {
        if (this.mode !== 'live') void this.toLive();
      } else {
        void this.toEnded();
        return; // ended is final
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        this.mode = 'missing';
        this.replaceEngine(null);
        this.view.state('missing');
        return;
      }
      delay = POLL_IDLE_MS; // the server is unreachable: the player (if any) carries on; look again soon
    } finally {
      this.polling = false;
    }
    this.pollTimer = setTimeout(() => void this.poll(), delay);
  }

  private toIdle(): void {
    if (this.mode === 'idle') return;
    this.mode = 'idle';
    this.replaceEngine(null);
    this.view.state('idle');
  }

  private async toLive(): Promise<void> {
    this.mode = 'live';
    const gen = this.replaceEngine(null);
    this.view.state(this.failures > 0 ? 'reconnecting' : 'connecting');
    let play;
    try {
      play = (await api<PlayResponse>(`${this.path}/play`)).play;
    } catch (err) {
      if (gen !== this.generation) return;
      if (err instanceof ApiError && err.code === 'room_ended') {
        void this.toEnded((err.body as RoomEndedErrorBody).error.replay ?? null);
      } else {
        this.retryLive('no play URL');
      }
      return;
    }
    if (gen !== this.generation) return;
    this.grid?.takeUrls(play.guests);
    const source: Source = this.flv ? { url: play.flv, format: 'flv', live: true } : { url: play.hls, format: 'hls', live: true };
    await this.attach(gen, source, (reason) => this.retryLive(reason));
  }

  /** Shows "ended", then the replay when the server kept one. `replay` undefined: ask the server for it. */
  private async toEnded(replay?: string | null): Promise<void> {
    this.mode = 'ended';
    this.grid?.stop();
    clearTimeout(this.pollTimer);
    clearTimeout(this.retryTimer);
    const gen = this.replaceEngine(null);
    this.view.state('ended', replay === undefined ? '' : undefined);
    if (replay === undefined) {
      // the end may come from the chat socket, before any poll read the ended room: read it for its end time
      const ended = api<RoomResponse>(this.path).then(({ room }) => room, () => null);
      try {
        await api<PlayResponse>(`${this.path}/play`);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'room_ended') replay = (err.body as RoomEndedErrorBody).error.replay ?? null;
      }
      const room = await ended;
      if (gen !== this.generation) return;
      if (room) this.view.room(room);
      this.view.state('ended');
    }
    if (!replay) return;
    this.view.state('replay');
    this.failures = 0;
    const source: Source = { url: replay, format: 'hls', live: false };
    const again = (): void => {
      // the recording may be finalised a moment after the end: retry a few times, then say so
      if (this.failures >= BACKOFF_MS.length) {
        this.replaceEngine(null);
        this.view.state('ended', t('watch.replay.failed'));
        return;
      }
      const g = this.replaceEngine(null);
      this.retryTimer = setTimeout(() => void this.attach(g, source, again), BACKOFF_MS[this.failures++]);
    };
    await this.attach(gen, source, again);
  }

  private async attach(gen: number, source: Source, onFatal: (reason: string) => void): Promise<void> {
    let engine: Engine;
    try {
      engine = await startPlayback(this.view.video, source, {
        fatal: (reason) => { if (gen === this.generation) onFatal(reason); },
        ready: () => { if (gen === this.generation) this.tryPlay(); },
      });
    } catch (err) {
      if (gen !== this.generation) return;
      if (err instanceof UnsupportedBrowser) this.view.state('failed');
      else onFatal(String(err));
      return;
    }
    if (gen !== this.generation) {
      engine.destroy();
      return;
    }
    this.engine = engine;
    this.lastProgressAt = Date.now();
    this.view.engine(engine.name);
    this.tryPlay();
  }

  private retryLive(reason: string): void {
    if (this.mode !== 'live') return;
    const gen = this.replaceEngine(null);
    this.view.state('reconnecting');
    const delay = BACKOFF_MS[Math.min(this.failures++, BACKOFF_MS.length - 1)];
    console.warn(`wxlive: reconnecting in ${delay} ms (${reason})`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (gen === this.generation && this.mode === 'live') void this.toLive();
    }, delay);
  }

  /** Destroys the current engine and returns the new generation. */
  private replaceEngine(next: Engine | null): number {
    this.engine?.destroy();
    this.engine = next;
    this.view.engine(next?.name ?? null);
    this.refreshMute();
    return ++this.generation;
  }

  private tryPlay(): void {
    this.view.video.play().then(
      () => this.view.needsTap(false),
      // blocked even though muted (e.g. iOS low-power mode): wait for a tap; an aborted load is not a refusal
      (err: DOMException) => { if (err.name === 'NotAllowedError') this.view.needsTap(true); },
    );
  }

  private onProgress(): void {
    const t = this.view.video.currentTime;
    if (t === this.lastTime) return;
    this.lastTime = t;
    this.lastProgressAt = Date.now();
    if (!this.engine) return;
    if (this.mode === 'live') {
      this.failures = 0;
      this.view.state('playing');
    }
  }

  private watchdog(): void {
    if (this.mode !== 'live' || !this.engine || this.view.video.paused) return;
    if (Date.now() - this.lastProgressAt > STALL_MS) this.retryLive('no progress');
  }

  private refreshMute(): void {
    const v = this.view.video;
    this.view.muted(v.muted || v.volume === 0, this.engine !== null);
  }
}
