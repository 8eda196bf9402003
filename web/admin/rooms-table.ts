// The rooms table: one row per room id, created once and then updated cell by cell, so refreshes never flicker.
import type { AdminRoom } from '../../typings/api';
import { el, placeRows, setAttr, setText } from '../shared/dom';
import { formatBitrate, formatDuration, secondsSince } from '../shared/format';
import { t } from '../shared/i18n';

interface Row {
  room: AdminRoom;
  tr: HTMLTableRowElement;
  title: HTMLElement;
  id: HTMLElement;
  status: HTMLElement;
  viewers: HTMLElement;
  bitrate: HTMLElement;
  fps: HTMLElement;
  resolution: HTMLElement;
  since: HTMLElement;
  watch: HTMLAnchorElement;
  charts: HTMLButtonElement;
  chat: HTMLButtonElement;
  replays: HTMLButtonElement;
  end: HTMLButtonElement;
}

export class RoomsTable {
  private readonly rows = new Map<string, Row>();
  /** rooms with an End request in flight: their button stays disabled across refreshes */
  private readonly ending = new Set<string>();
  /** the room whose charts are shown */
  private charted: string | null = null;
  /** the room whose chat is shown */
  private chatting: string | null = null;
  /** the room whose replays are shown */
  private replaying: string | null = null;

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly onEnd: (room: AdminRoom) => void,
    private readonly onCharts: (room: AdminRoom) => void = () => {},
    private readonly onChat: (room: AdminRoom) => void = () => {},
    private readonly onReplays: (room: AdminRoom) => void = () => {},
  ) {}

  show(rooms: AdminRoom[], now = Date.now()): void {
    placeRows(this.body, this.rows, rooms, {
      key: (room) => room.id, node: (row) => row.tr, make: (room) => this.create(room),
      update: (row, room) => {
        row.room = room;
        this.update(row, now);
      },
    });
  }

  /** Marks the row whose stream the charts show. */
  setCharted(id: string | null): void {
    this.charted = id;
    for (const row of this.rows.values()) this.update(row, Date.now());
  }

  /** Marks the row whose chat is shown. */
  setChatting(id: string | null): void {
    this.chatting = id;
    for (const row of this.rows.values()) this.update(row, Date.now());
  }

  /** Marks the row whose replays are shown. */
  setReplaying(id: string | null): void {
    this.replaying = id;
    for (const row of this.rows.values()) this.update(row, Date.now());
  }

  setEnding(id: string, ending: boolean): void {
    if (ending) this.ending.add(id);
    else this.ending.delete(id);
    const row = this.rows.get(id);
    if (row) this.update(row, Date.now());
  }

  private create(room: AdminRoom): Row {
    const cell = (label: string, ...children: Node[]) => {
      const td = el('td', '', '', ...children);
      td.dataset.label = label; // the phone layout shows the label beside the value
      return td;
    };
    const title = el('span', 'room-title');
    const id = el('code', 'room-id');
    const status = el('span', 'pill');
    const [viewers, bitrate, fps, resolution, since] = [0, 1, 2, 3, 4].map(() => el('span', 'num'));
    const watch = el('a', 'watch-link', t('admin.watch'));
    watch.target = '_blank';
    watch.rel = 'noopener';
    const charts = el('button', 'charts-button', t('admin.charts.button'));
    charts.type = 'button';
    charts.addEventListener('click', () => this.onCharts(row.room));
    const chat = el('button', 'chat-button', t('admin.chat.button'));
    chat.type = 'button';
    chat.addEventListener('click', () => this.onChat(row.room));
    const replays = el('button', 'replays-button', t('admin.replays.button'));
    replays.type = 'button';
    replays.addEventListener('click', () => this.onReplays(row.room));
    const end = el('button', 'end', t('admin.end'));
    end.type = 'button';
    end.addEventListener('click', () => this.onEnd(row.room));
    const tr = el('tr', 'room-row', '',
      cell(t('admin.col.room'), title, id),
      cell(t('admin.col.status'), status),
      cell(t('admin.col.viewers'), viewers!),
      cell(t('admin.col.bitrate'), bitrate!),
      cell(t('admin.col.fps'), fps!),
      cell(t('admin.col.resolution'), resolution!),
      cell(t('admin.col.since'), since!),
      cell('', el('span', 'actions', '', watch, charts, chat, replays, end)),
    );
    tr.dataset.id = room.id;
    const row: Row = { room, tr, title, id, status, viewers: viewers!, bitrate: bitrate!, fps: fps!, resolution: resolution!, since: since!, watch, charts, chat, replays, end };
    this.rows.set(room.id, row);
    return row;
  }

  private update(row: Row, now: number): void {
    const { room } = row;
    const s = room.stream;
    setText(row.title, room.title);
    setText(row.id, room.id);
    setAttr(row.tr, 'data-status', room.status);
    setAttr(row.status, 'data-status', room.status);
    setText(row.status, room.status === 'live' && s && !s.publisher ? t('admin.status.noPublisher') : t(`admin.status.${room.status}`));
    setText(row.viewers, String(s ? s.viewers.total : room.viewers));
    setAttr(row.viewers, 'title', s ? `FLV ${s.viewers.flv} · HLS ${s.viewers.hls} · RTMP ${s.viewers.rtmp}` : null);
    setText(row.bitrate, s ? formatBitrate(s.bitrateIn) : t('none'));
    setText(row.fps, s?.video ? String(Math.round(s.video.fps)) : t('none'));
    setText(row.resolution, s?.video ? `${s.video.width}×${s.video.height}` : t('none'));
    setText(row.since, since(room, now));
    setAttr(row.watch, 'href', `/watch/${encodeURIComponent(room.id)}`);
    // an idle room has no stream to chart; an ended one keeps its last 30 minutes
    row.charts.disabled = room.status === 'idle';
    setAttr(row.charts, 'aria-pressed', String(this.charted === room.id));
    setAttr(row.tr, 'data-charted', this.charted === room.id ? 'true' : null);
    setAttr(row.charts, 'aria-label', t('admin.charts.label', { title: room.title }));
    row.chat.disabled = room.status === 'ended'; // its socket is closed as soon as it opens
    setAttr(row.chat, 'aria-pressed', String(this.chatting === room.id));
    setAttr(row.chat, 'aria-label', t('admin.chat.label', { title: room.title }));
    row.replays.disabled = room.status === 'idle'; // replays are of broadcasts, which an idle room never had
    setAttr(row.replays, 'aria-pressed', String(this.replaying === room.id));
    setAttr(row.replays, 'aria-label', t('admin.replays.label', { title: room.title }));
    const ending = this.ending.has(room.id);
    row.end.disabled = room.status === 'ended' || ending;
    setText(row.end, ending ? t('admin.ending') : t('admin.end'));
    setAttr(row.end, 'aria-label', t('admin.end.label', { title: room.title }));
  }
}

function since(room: AdminRoom, now: number): string {
  if (room.status === 'live') return formatDuration(secondsSince(room.stream?.publisher?.since ?? room.startedAt, now));
  if (room.status === 'ended') return t('admin.since.ended', { duration: formatDuration(secondsSince(room.endedAt, now)) });
  return t('admin.since.created', { duration: formatDuration(secondsSince(room.createdAt, now)) });
}
