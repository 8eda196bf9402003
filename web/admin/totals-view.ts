// Server totals at the top of the admin console (the rtmp_stat summary), updated in place.
import type { AdminStatsResponse } from '../../typings/api';
import { byId, setText } from '../shared/dom';
import { formatBitrate, formatBytes, formatDuration } from '../shared/format';

export class TotalsView {
  private readonly cells = new Map<string, HTMLElement>();

  constructor() {
    for (const dd of byId('totals').querySelectorAll<HTMLElement>('[data-total]')) this.cells.set(dd.dataset.total!, dd);
  }

  show(stats: AdminStatsResponse): void {
    const t = stats.totals;
    this.set('live', String(stats.rooms.live));
    this.set('idle', String(stats.rooms.idle));
    this.set('ended', String(stats.rooms.ended));
    this.set('publishers', String(t.publishers));
    this.set('viewers', String(t.viewers));
    this.set('bitrateIn', formatBitrate(t.bitrateIn));
    this.set('bitrateOut', formatBitrate(t.bitrateOut));
    this.set('bytes', `${formatBytes(t.bytesIn)} / ${formatBytes(t.bytesOut)}`);
    this.set('uptime', formatDuration(stats.uptimeS));
  }

  private set(key: string, text: string): void {
    const cell = this.cells.get(key);
    if (cell) setText(cell, text);
  }
}
