// A room's replays in the admin console (GET /api/rooms/:id/replays with the admin token, so hidden ones are listed
// too, their URLs signed), each with hide/publish (PATCH /api/rooms/:id/replays/:broadcastId) and its MP4.
import type { AdminRoom } from '../../typings/api';
import type { Replay, ReplayListResponse, ReplayPatchRequest } from '../../typings/vod';
import { api } from '../shared/api';
import { byId, el, placeRows, setAttr, setShown, setText } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import { t } from '../shared/i18n';
import { clock } from './videos-table';

interface Row {
  replay: Replay;
  li: HTMLLIElement;
  started: HTMLElement;
  duration: HTMLElement;
  visibility: HTMLElement;
  mp4: HTMLAnchorElement;
  toggle: HTMLButtonElement;
}

export class ReplaysView {
  private readonly heading = byId('room-replays-title');
  private readonly pick = byId('room-replays-pick');
  private readonly list = byId<HTMLUListElement>('room-replays-list');
  private readonly empty = byId('room-replays-empty');
  private readonly error = byId('room-replays-error');
  private readonly rows = new Map<string, Row>();
  private room: AdminRoom | null = null;
  /** only the newest answer draws: one for a room the admin has since left is dropped */
  private seq = 0;
  /** a failed change stays shown until the next change; a failed refresh only until a refresh works */
  private errorOf: 'list' | 'change' | null = null;

  constructor(private readonly token: () => string | null, private readonly describe: (err: unknown) => string) {}

  get roomId(): string | null {
    return this.room?.id ?? null;
  }

  select(room: AdminRoom): void {
    if (this.room?.id !== room.id) {
      this.rows.clear();
      this.list.replaceChildren();
      setShown(this.empty, false);
      this.showError(null);
    }
    this.room = room;
    setText(this.heading, t('admin.replays.title', { title: room.title, id: room.id }));
    setShown(this.pick, false);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const token = this.token();
    const room = this.room;
    if (!token || !room) return;
    const seq = ++this.seq;
    try {
      const { replays } = await api<ReplayListResponse>(`/api/rooms/${encodeURIComponent(room.id)}/replays`, { token });
      if (seq !== this.seq || room !== this.room) return;
      this.show(replays);
      if (this.errorOf === 'list') this.showError(null);
    } catch (err) {
      if (seq === this.seq) this.showError(err, 'list');
    }
  }

  private show(replays: Replay[]): void {
    placeRows(this.list, this.rows, replays, {
      key: (replay) => replay.broadcastId, node: (row) => row.li, make: (replay) => this.create(replay),
      update: (row, replay) => {
        row.replay = replay;
        this.update(row);
      },
    });
    setShown(this.empty, replays.length === 0);
  }

  private create(replay: Replay): Row {
    const started = el('span', 'replay-started');
    const duration = el('span', 'num replay-duration');
    const visibility = el('span', 'pill');
    const mp4 = el('a', 'watch-link replay-mp4', t('admin.replays.mp4'));
    mp4.target = '_blank';
    mp4.rel = 'noopener';
    const toggle = el('button', 'replay-toggle');
    toggle.type = 'button';
    const li = el('li', 'replay-row', '', started, duration, visibility, el('span', 'actions', '', mp4, toggle));
    li.dataset.broadcast = replay.broadcastId;
    const row: Row = { replay, li, started, duration, visibility, mp4, toggle };
    toggle.addEventListener('click', () => void this.setPublic(row, !row.replay.public));
    this.rows.set(replay.broadcastId, row);
    return row;
  }

  private update(row: Row): void {
    const { replay } = row;
    const time = formatDateTime(replay.startedAt);
    setText(row.started, time);
    setText(row.duration, clock(replay.durationS));
    setAttr(row.li, 'data-public', String(replay.public));
    setAttr(row.visibility, 'data-public', String(replay.public));
    setText(row.visibility, replay.public ? t('admin.videos.public') : t('admin.videos.hidden'));
    setAttr(row.mp4, 'href', replay.mp4); // signed when hidden: the admin can still check it
    setAttr(row.mp4, 'aria-label', t('admin.replays.mp4Label', { time }));
    setText(row.toggle, replay.public ? t('admin.videos.hide') : t('admin.videos.publish'));
    setAttr(row.toggle, 'aria-label', t(replay.public ? 'admin.replays.hideLabel' : 'admin.replays.publishLabel', { time }));
  }

  private async setPublic(row: Row, visible: boolean): Promise<void> {
    const token = this.token();
    const room = this.room;
    if (!token || !room) return;
    row.toggle.disabled = true;
    this.showError(null);
    try {
      const body: ReplayPatchRequest = { public: visible };
      await api(`/api/rooms/${encodeURIComponent(room.id)}/replays/${encodeURIComponent(row.replay.broadcastId)}`,
        { method: 'PATCH', token, body });
    } catch (err) {
      this.showError(err);
    } finally {
      row.toggle.disabled = false;
    }
    await this.refresh();
  }

  private showError(err: unknown, of: 'list' | 'change' = 'change'): void {
    this.errorOf = err === null ? null : of;
    setText(this.error, err === null ? '' : t('admin.videos.actionFailed', { message: this.describe(err) }));
    setShown(this.error, err !== null);
  }
}
