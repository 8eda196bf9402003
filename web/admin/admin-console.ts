// The admin console: sign-in with the admin token, then rooms and server totals refreshed every few seconds.
import type { AdminRoom, AdminRoomListResponse, AdminStatsResponse, RoomStatus, StatsHistoryResponse } from '../../typings/api';
import { api, ApiError } from '../shared/api';
import { byId, el, setAttr, setShown, setText } from '../shared/dom';
import { formatTime } from '../shared/format';
import { t, type MessageKey } from '../shared/i18n';
import { BannedView } from './banned-view';
import { ChartsView } from './charts-view';
import { ChatView } from './chat-view';
import { Pager } from './pager';
import { RoomsTable } from './rooms-table';
import { tokenStore } from './token-store';
import { TotalsView } from './totals-view';
import { ReplaysView } from './video-replays';
import { VideosView } from './videos-view';

export const REFRESH_MS = 3000;
const PAGE_SIZE = 20;

export class AdminConsole {
  private readonly main = byId('admin');
  private readonly loginForm = byId<HTMLFormElement>('login-form');
  private readonly tokenInput = byId<HTMLInputElement>('token');
  private readonly signInButton = byId<HTMLButtonElement>('sign-in');
  private readonly loginError = byId('login-error');
  private readonly consoleError = byId('console-error');
  private readonly filter = byId<HTMLSelectElement>('status-filter');
  private readonly prev = byId<HTMLButtonElement>('prev');
  private readonly next = byId<HTMLButtonElement>('next');
  private readonly pageLabel = byId('page-label');
  private readonly updated = byId('updated');
  private readonly empty = byId('empty');
  private readonly totals = new TotalsView();
  private readonly table = new RoomsTable(byId<HTMLTableSectionElement>('rooms-body'), (room) => void this.end(room),
    (room) => this.chart(room), (room) => this.openChat(room), (room) => this.openReplays(room));
  private readonly charts = new ChartsView();
  private readonly chat = new ChatView(() => this.token, () => void this.banned.refresh(), errorText);
  private readonly banned = new BannedView(() => this.token, (id) => this.chat.nicknameOf(id), errorText);
  private readonly pager = new Pager();
  private readonly videos = new VideosView(() => this.token, errorText);
  private readonly replays = new ReplaysView(() => this.token, errorText);
  private token: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** bumped on every navigation, so an answer for the page the user just left is dropped */
  private view = 0;
  /** bumped on every refresh: only the newest one schedules the next, so there is never more than one loop */
  private seq = 0;

  start(): void {
    fillTokenHint(byId('token-hint'));
    setText(this.pageLabel, t('admin.page', { n: this.pager.page }));
    this.loginForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.signIn(this.tokenInput.value.trim());
    });
    byId('sign-out').addEventListener('click', () => this.signOut());
    this.filter.addEventListener('change', () => this.navigate(() => this.pager.reset()));
    this.prev.addEventListener('click', () => this.navigate(() => this.pager.back()));
    this.next.addEventListener('click', () => this.navigate(() => this.pager.forward()));
    this.videos.mount();
    const saved = tokenStore.get();
    if (saved) void this.signIn(saved);
    else this.tokenInput.focus();
  }

  private async signIn(token: string): Promise<void> {
    if (!token) return;
    this.signInButton.disabled = true;
    setShown(this.loginError, false);
    try {
      const stats = await api<AdminStatsResponse>('/api/admin/stats', { token });
      this.token = token;
      tokenStore.set(token);
      this.tokenInput.value = '';
      setAttr(this.main, 'data-state', 'signed-in');
      setShown(byId('login'), false);
      setShown(byId('console'), true);
      this.totals.show(stats);
      await this.refresh();
    } catch (err) {
      tokenStore.clear();
      this.showLoginError(errorText(err));
    } finally {
      this.signInButton.disabled = false;
    }
  }

  private signOut(message?: string): void {
    clearTimeout(this.timer);
    this.chat.close();
    this.videos.close();
    this.token = null;
    tokenStore.clear();
    setAttr(this.main, 'data-state', 'signed-out');
    setShown(byId('console'), false);
    setShown(byId('login'), true);
    if (message) this.showLoginError(message);
    this.tokenInput.focus();
  }

  private showLoginError(message: string): void {
    setText(this.loginError, message);
    setShown(this.loginError, true);
  }

  private navigate(move: () => void): void {
    move();
    this.view++;
    void this.refresh();
  }

  /** Loads the current page and the totals, then schedules the next refresh. */
  private async refresh(): Promise<void> {
    clearTimeout(this.timer);
    const token = this.token;
    if (!token) return;
    const view = this.view;
    const seq = ++this.seq;
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (this.filter.value) q.set('status', this.filter.value as RoomStatus);
    if (this.pager.cursor) q.set('cursor', this.pager.cursor);
    try {
      const charted = this.charts.roomId;
      const [list, stats, history] = await Promise.all([
        api<AdminRoomListResponse>(`/api/admin/rooms?${q}`, { token }),
        api<AdminStatsResponse>('/api/admin/stats', { token }),
        api<StatsHistoryResponse>(`/api/admin/stats/history${charted ? `?roomId=${encodeURIComponent(charted)}` : ''}`, { token }),
      ]);
      if (view !== this.view || token !== this.token) return;
      this.pager.loaded(list.nextCursor);
      this.table.show(list.rooms);
      this.totals.show(stats);
      // until one is picked, the charts follow the first live room listed
      const firstLive = list.rooms.find((r) => r.status === 'live');
      if (!this.charts.roomId && firstLive) this.pickChart(firstLive);
      this.charts.show(history);
      setShown(this.empty, list.rooms.length === 0);
      setShown(this.consoleError, false);
      setText(this.updated, t('admin.updated', { time: formatTime(Date.now()) }));
      void this.banned.refresh(); // beside the rest: its failure shows in its own section
      void this.videos.refresh(); // likewise; also picks up files copied into DATA_DIR/vod
      void this.replays.refresh(); // a room just ended gets its replay listed
    } catch (err) {
      if (token !== this.token) return;
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        this.signOut(errorText(err));
        return;
      }
      this.showError(errorText(err));
    } finally {
      this.prev.disabled = !this.pager.hasPrev;
      this.next.disabled = !this.pager.hasNext;
      setText(this.pageLabel, t('admin.page', { n: this.pager.page }));
    }
    if (this.token === token && seq === this.seq) this.timer = setTimeout(() => void this.refresh(), REFRESH_MS);
  }

  /** "Charts" in a row: that room's stream is charted from now on. */
  private chart(room: AdminRoom): void {
    this.pickChart(room);
    void this.refresh();
  }

  /** "Chat" in a row: that room's chat with its moderation buttons. */
  private openChat(room: AdminRoom): void {
    this.chat.select(room);
    this.table.setChatting(room.id);
  }

  /** "Replays" in a row: that room's replays, to hide or publish. */
  private openReplays(room: AdminRoom): void {
    this.replays.select(room);
    this.table.setReplaying(room.id);
  }

  private pickChart(room: AdminRoom): void {
    this.charts.select(room);
    this.table.setCharted(room.id);
  }

  private async end(room: AdminRoom): Promise<void> {
    const token = this.token;
    if (!token) return;
    const live = room.status === 'live' ? t('admin.end.confirmLive') : '';
    if (!window.confirm(t('admin.end.confirm', { title: room.title, live }))) return;
    this.table.setEnding(room.id, true);
    try {
      await api(`/api/admin/rooms/${encodeURIComponent(room.id)}/end`, { method: 'POST', token });
    } catch (err) {
      this.showError(t('admin.end.failed', { title: room.title, message: errorText(err) }));
    } finally {
      this.table.setEnding(room.id, false);
    }
    await this.refresh();
  }

  private showError(message: string): void {
    setText(this.consoleError, message);
    setShown(this.consoleError, true);
  }
}

const TRANSLATED_ERRORS = new Set(['bad_admin_token', 'admin_token_required', 'network_error']);

/** Server errors the console knows are shown in the page's language; others as the server worded them. */
function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return String(err);
  if (TRANSLATED_ERRORS.has(err.code)) return t(`admin.error.${err.code}` as MessageKey);
  return err.body ? err.message : t('admin.error.other', { status: err.status });
}

/** "The token is in {file}, or {env} when set…": the two names as <code>, the rest as text. */
function fillTokenHint(node: HTMLElement): void {
  const codes: Record<string, string> = { file: 'DATA_DIR/admin-token', env: 'ADMIN_TOKEN' };
  node.replaceChildren(...t('admin.tokenHint').split(/(\{\w+\})/).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    return name && name in codes ? el('code', '', codes[name]) : document.createTextNode(part);
  }));
}
