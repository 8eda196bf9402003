// The watch page's co-hosts (连麦, typings/cohost.ts): the host's stage and one tile per guest in a responsive
// grid (watch.css keys off `data-guests`), each with the name under it. The line-up follows `cohosts` frames of
// the chat socket (and `play.guests` before the first); a guest plays HTTP-FLV through mpegts.js where
// MediaSource exists (the low-delay path, as the mini-program plays it) and HLS otherwise or once FLV keeps
// failing; a failed tile retries with fresh signed URLs from GET play while the guest is on the line-up.
import type { PlayResponse } from '../../typings/api';
import type { CohostGuest, GuestPlayUrls, GuestSlot } from '../../typings/cohost';
import { api } from '../shared/api';
import { byId, el, setAttr, setText } from '../shared/dom';
import { t } from '../shared/i18n';
import { startPlayback, type Engine, type Source } from './player';

const RETRY_MS = [1000, 2000, 3000, 5000, 8000];
/** FLV failures of one tile before it tries HLS */
const FLV_TRIES = 2;

interface Tile {
  guest: CohostGuest;
  node: HTMLElement;
  video: HTMLVideoElement;
  engine: Engine | null;
  /** the URL the engine plays ("" while none) */
  playing: string;
  failures: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** bumped on every (re)start: results of an older start are dropped */
  gen: number;
}

const hasMediaSource = (): boolean => 'MediaSource' in window || 'ManagedMediaSource' in window;

export class GuestGrid {
  private readonly grid = byId('grid');
  private readonly tiles = new Map<GuestSlot, Tile>();
  private urls: GuestPlayUrls[] = [];
  /** a frame came: `play.guests` (older) no longer decides the line-up */
  private framed = false;
  private fetching: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly roomId: string) {}

  /** From GET play: fresh signed URLs, and the line-up until a frame says otherwise. */
  takeUrls(guests: GuestPlayUrls[] | undefined): void {
    this.urls = guests ?? [];
    if (!this.framed) this.lineup(this.urls.map((g) => ({ slot: g.slot, user: g.user })), false);
    else this.refresh();
  }

  /** A `cohosts` frame: tiles come and go; a guest we hold no URL for sends us to GET play. */
  lineup(guests: CohostGuest[], fromFrame = true): void {
    if (this.stopped) return;
    if (fromFrame) this.framed = true;
    for (const [slot, tile] of this.tiles) {
      const still = guests.find((g) => g.slot === slot && g.user.id === tile.guest.user.id);
      if (!still) this.drop(slot);
    }
    for (const guest of guests) {
      if (!this.tiles.has(guest.slot)) this.add(guest);
    }
    this.layout();
    const missing = guests.some((g) => !this.urlOf(g));
    if (missing && fromFrame) void this.fetchUrls();
    this.refresh();
  }

  /** The broadcast ended (or the page is going): every guest player stops, the grid is the host's alone. */
  stop(): void {
    this.stopped = true;
    for (const slot of Array.from(this.tiles.keys())) this.drop(slot);
    this.layout();
  }

  private urlOf(g: CohostGuest): GuestPlayUrls | undefined {
    return this.urls.find((u) => u.slot === g.slot && u.user.id === g.user.id);
  }

  private fetchUrls(): Promise<void> {
    if (!this.fetching) {
      this.fetching = api<PlayResponse>(`/api/rooms/${encodeURIComponent(this.roomId)}/play`)
        .then((res) => { this.urls = res.play.guests ?? []; this.refresh(); }, () => undefined)
        .finally(() => { this.fetching = null; });
    }
    return this.fetching;
  }

  private add(guest: CohostGuest): void {
    const video = el('video', 'guest-video');
    video.muted = true; // autoplay is only allowed muted; the host's tile has the unmute button
    video.autoplay = true;
    video.playsInline = true;
    setAttr(video, 'aria-label', guest.user.nickname);
    const node = el('figure', 'tile guest-tile', '', video, el('figcaption', 'tile-name', guest.user.nickname));
    node.dataset.slot = guest.slot;
    node.dataset.state = 'connecting';
    this.grid.appendChild(node);
    this.tiles.set(guest.slot, { guest, node, video, engine: null, playing: '', failures: 0, timer: undefined, gen: 0 });
    video.addEventListener('playing', () => {
      const tile = this.tiles.get(guest.slot);
      if (tile && tile.video === video) { tile.failures = 0; tile.node.dataset.state = 'playing'; }
    });
  }

  private drop(slot: GuestSlot): void {
    const tile = this.tiles.get(slot);
    if (!tile) return;
    clearTimeout(tile.timer);
    tile.gen += 1;
    tile.engine?.destroy();
    tile.node.remove();
    this.tiles.delete(slot);
  }

  /** Tiles without a player get one once their URL is known. */
  private refresh(): void {
    for (const tile of this.tiles.values()) {
      if (!tile.engine && tile.timer === undefined && !tile.playing) void this.play(tile);
    }
  }

  private source(url: GuestPlayUrls, failures: number): Source {
    if (hasMediaSource() && failures < FLV_TRIES) return { url: url.flv, format: 'flv', live: true };
    return { url: url.hls, format: 'hls', live: true };
  }

  private async play(tile: Tile): Promise<void> {
    const url = this.urlOf(tile.guest);
    if (!url || this.stopped) return;
    const gen = ++tile.gen;
    const source = this.source(url, tile.failures);
    tile.playing = source.url;
    tile.node.dataset.engine = source.format;
    try {
      const engine = await startPlayback(tile.video, source, {
        fatal: () => { if (gen === tile.gen) this.retry(tile); },
        ready: () => { if (gen === tile.gen) tile.video.play().catch(() => undefined); },
      });
      if (gen !== tile.gen) {
        engine.destroy();
        return;
      }
      tile.engine = engine;
    } catch {
      if (gen === tile.gen) this.retry(tile);
    }
  }

  /** A guest who stopped publishing stays on the line-up until a frame drops it: keep trying, with fresh URLs. */
  private retry(tile: Tile): void {
    if (this.tiles.get(tile.guest.slot) !== tile) return;
    tile.gen += 1;
    tile.engine?.destroy();
    tile.engine = null;
    tile.playing = '';
    tile.node.dataset.state = 'reconnecting';
    const delay = RETRY_MS[Math.min(tile.failures++, RETRY_MS.length - 1)];
    clearTimeout(tile.timer);
    tile.timer = setTimeout(() => {
      tile.timer = undefined;
      void this.fetchUrls().then(() => { if (this.tiles.get(tile.guest.slot) === tile && !tile.engine) void this.play(tile); });
    }, delay);
  }

  private layout(): void {
    setAttr(this.grid, 'data-guests', String(this.tiles.size));
    // slot order, whatever order guests joined in
    for (const slot of Array.from(this.tiles.keys()).sort()) this.grid.appendChild(this.tiles.get(slot)!.node);
    setText(byId('host-name'), t('watch.grid.host'));
  }
}
