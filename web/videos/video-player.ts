// Plays the tapped entry in the page's one <video>: HLS through the watch page's engines (hls.js where MediaSource
// exists, the browser's own HLS on Safari), then the MP4 file played by the browser itself if HLS cannot.
import { byId, setAttr, setShown, setText } from '../shared/dom';
import { t } from '../shared/i18n';
import { startNative } from '../watch/engines/native-engine';
import { preloadPlayer, startPlayback, type Engine } from '../watch/player';
import { formatClockDuration } from './clock';
import type { Entry, PlaySources } from './entry';
import { entryMeta } from './video-row';

/** An attempt that shows no picture this long gives way to the next (an engine may stall without a fatal error). */
export const START_TIMEOUT_MS = 15000;

/** What the player shows; tests and CSS key off `data-player` on the section. */
export type PlayerState = 'idle' | 'loading' | 'playing' | 'paused' | 'ended' | 'failed';
type Attempt = { source: 'hls' | 'file'; start: (events: { fatal(reason: string): void; ready(): void }) => Promise<Engine> };

export class VideoPlayer {
  private readonly section = byId('player');
  readonly video = byId<HTMLVideoElement>('video');
  private readonly message = byId('player-message');
  private readonly title = byId('player-title');
  private readonly meta = byId('player-meta');
  private engine: Engine | null = null;
  /** bumped on every new play, so late answers for an earlier tap are dropped */
  private generation = 0;
  private startTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const v = this.video;
    v.addEventListener('playing', () => this.state('playing'));
    v.addEventListener('loadeddata', () => clearTimeout(this.startTimer));
    v.addEventListener('pause', () => { if (!v.ended && this.current() === 'playing') this.state('paused'); });
    v.addEventListener('ended', () => this.state('ended'));
    preloadPlayer('hls'); // hls.js is fetched while the list loads, not after the tap
  }

  async play(entry: Entry): Promise<void> {
    const gen = this.reset();
    setShown(this.section, true);
    setText(this.title, entry.title);
    setText(this.meta, [formatClockDuration(entry.durationS), ...entryMeta(entry)].join(' · '));
    setAttr(this.section, 'data-key', entry.key);
    this.state('loading');
    this.section.scrollIntoView({ block: 'nearest' });
    let sources: PlaySources;
    try {
      sources = await entry.sources();
    } catch {
      if (gen === this.generation) this.state('failed');
      return;
    }
    if (gen !== this.generation) return;
    const attempts: Attempt[] = [{ source: 'hls', start: (ev) => startPlayback(this.video, { url: sources.hls, format: 'hls', live: false }, ev) }];
    // the browser's own <video src> plays an MP4 the way it plays native HLS: the same engine
    const file = sources.file;
    if (file) attempts.push({ source: 'file', start: (ev) => Promise.resolve(startNative(this.video, { url: file, format: 'hls', live: false }, ev)) });
    await this.attempt(gen, attempts, 0);
  }

  /** Starts attempts[i]; a failure (thrown, or fatal later) moves on to the next, the last one shows "failed". */
  private async attempt(gen: number, attempts: Attempt[], i: number): Promise<void> {
    let over = false; // a fatal error and the start timeout may both come: move on once
    const next = (reason: string): void => {
      if (gen !== this.generation || over) return;
      over = true;
      console.warn(`wxlive: ${attempts[i]!.source} did not play (${reason})`);
      this.dropEngine();
      if (i + 1 < attempts.length) void this.attempt(gen, attempts, i + 1);
      else {
        clearTimeout(this.startTimer);
        this.state('failed');
      }
    };
    const { source, start } = attempts[i]!;
    setAttr(this.section, 'data-source', source);
    clearTimeout(this.startTimer);
    // only while there is something else to try: the last attempt waits for its engine's own verdict (a long
    // video's HLS is remuxed on its first request and may take a while)
    if (i + 1 < attempts.length) this.startTimer = setTimeout(() => next('no picture in time'), START_TIMEOUT_MS);
    let engine: Engine;
    try {
      engine = await start({ fatal: next, ready: () => { if (gen === this.generation) this.tryPlay(); } });
    } catch (err) {
      next(String(err));
      return;
    }
    if (gen !== this.generation) {
      engine.destroy();
      return;
    }
    this.engine = engine;
    setAttr(this.section, 'data-engine', engine.name);
    this.tryPlay();
  }

  private tryPlay(): void {
    this.video.play().catch((err: DOMException) => {
      // the tap's permission to play sound ran out while the URLs loaded: play muted, the controls unmute
      if (err.name !== 'NotAllowedError') return;
      this.video.muted = true;
      this.video.play().catch(() => { /* the controls' play button is left */ });
    });
  }

  private reset(): number {
    clearTimeout(this.startTimer);
    this.dropEngine();
    setAttr(this.section, 'data-source', null);
    return ++this.generation;
  }

  private dropEngine(): void {
    this.engine?.destroy();
    this.engine = null;
    setAttr(this.section, 'data-engine', null);
  }

  private current(): PlayerState {
    return (this.section.getAttribute('data-player') ?? 'idle') as PlayerState;
  }

  private state(state: PlayerState): void {
    setAttr(this.section, 'data-player', state);
    const text = state === 'loading' ? t('videos.player.loading') : state === 'failed' ? t('videos.player.failed') : '';
    setText(this.message, text);
    setShown(this.message, text !== '');
  }
}
