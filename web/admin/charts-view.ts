// The charts of the admin console: the server's last 30 minutes (CPU, memory, data out, connections, dropped
// viewers) and those of one stream picked in the rooms table (bitrate in, frame rate, viewers by protocol).
import type { AdminRoom, StatsHistoryResponse, StreamHistory } from '../../typings/api';
import { byId, setAttr, setShown, setText } from '../shared/dom';
import { t } from '../shared/i18n';
import { HistoryChart } from './history-chart';

const COLOURS = { green: '#07c160', blue: '#4c9aff', amber: '#f5a524', red: '#f0293e', violet: '#b48cff' };

const count = (v: number) => String(Math.round(v * 10) / 10);
const percent = (v: number) => `${Math.round(v)}%`;

/** A byte or bit series is drawn in one unit picked from its largest value, so the axis gets round steps. */
interface Unit { div: number; name: string }
const BYTE_UNITS: Unit[] = [{ div: 1024 ** 3, name: 'GB' }, { div: 1024 ** 2, name: 'MB' }, { div: 1024, name: 'KB' }, { div: 1, name: 'B' }];
const BIT_UNITS: Unit[] = [{ div: 1e9, name: 'Gbps' }, { div: 1e6, name: 'Mbps' }, { div: 1e3, name: 'kbps' }, { div: 1, name: 'bps' }];
function unitFor(units: Unit[], values: number[]): Unit {
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  return units.find((u) => max >= u.div) ?? units[units.length - 1]!;
}
const scaled = (values: number[], unit: Unit) => values.map((v) => v / unit.div);
const inUnit = (unit: () => Unit, suffix = '') => (v: number) => `${Math.round(v * 10) / 10} ${unit().name}${suffix}`;

export class ChartsView {
  private readonly cpu: HistoryChart;
  private readonly rss: HistoryChart;
  private readonly bytesOut: HistoryChart;
  private readonly connections: HistoryChart;
  private readonly dropped: HistoryChart;
  private readonly bitrateIn: HistoryChart;
  private readonly fps: HistoryChart;
  private readonly viewers: HistoryChart;
  private readonly streamSection = byId('stream-charts');
  private readonly streamTitle = byId('stream-charts-title');
  private readonly streamEmpty = byId('stream-charts-empty');
  private readonly pickHint = byId('charts-pick');
  private room: Pick<AdminRoom, 'id' | 'title'> | null = null;
  private units = { rss: BYTE_UNITS[1]!, out: BYTE_UNITS[2]!, bitrate: BIT_UNITS[2]! };

  constructor() {
    const server = byId('server-charts-grid');
    const stream = byId('stream-charts-grid');
    this.cpu = new HistoryChart(server, { key: 'cpu', title: t('admin.chart.cpu'), format: percent, series: [{ label: 'CPU', color: COLOURS.green }] });
    this.rss = new HistoryChart(server, { key: 'rss', title: t('admin.chart.rss'), format: inUnit(() => this.units.rss), series: [{ label: 'RSS', color: COLOURS.blue }] });
    this.bytesOut = new HistoryChart(server, {
      key: 'bytes-out', title: t('admin.chart.bytesOut'), format: inUnit(() => this.units.out, '/s'), series: [{ label: t('admin.series.out'), color: COLOURS.amber }],
    });
    this.connections = new HistoryChart(server, {
      key: 'connections', title: t('admin.chart.connections'), format: count,
      series: [{ label: 'HTTP', color: COLOURS.blue }, { label: 'RTMP', color: COLOURS.violet }],
    });
    this.dropped = new HistoryChart(server, { key: 'dropped', title: t('admin.chart.dropped'), format: count, series: [{ label: t('admin.series.dropped'), color: COLOURS.red }] });
    this.bitrateIn = new HistoryChart(stream, { key: 'bitrate-in', title: t('admin.chart.bitrateIn'), format: inUnit(() => this.units.bitrate), series: [{ label: t('admin.series.in'), color: COLOURS.green }] });
    this.fps = new HistoryChart(stream, { key: 'fps', title: t('admin.chart.fps'), format: count, series: [{ label: 'FPS', color: COLOURS.amber }] });
    this.viewers = new HistoryChart(stream, {
      key: 'viewers', title: t('admin.chart.viewers'), format: count,
      series: [
        { label: 'FLV', color: COLOURS.green }, { label: 'HLS', color: COLOURS.blue }, { label: 'RTMP', color: COLOURS.violet },
        { label: t('admin.series.dropped'), color: COLOURS.red },
      ],
    });
  }

  /** the stream whose charts are shown */
  get roomId(): string | null {
    return this.room?.id ?? null;
  }

  select(room: Pick<AdminRoom, 'id' | 'title'> | null): void {
    this.room = room;
    setShown(this.pickHint, !room);
    setShown(this.streamSection, !!room);
    if (room) setText(this.streamTitle, t('admin.charts.stream', { title: room.title, id: room.id }));
  }

  show(history: StatsHistoryResponse): void {
    const s = history.server;
    this.cpu.show(s.t, [s.cpuPercent]);
    this.units.rss = unitFor(BYTE_UNITS, s.rssBytes);
    this.units.out = unitFor(BYTE_UNITS, s.bytesOutPerS);
    this.rss.show(s.t, [scaled(s.rssBytes, this.units.rss)]);
    this.bytesOut.show(s.t, [scaled(s.bytesOutPerS, this.units.out)]);
    this.connections.show(s.t, [s.httpConnections, s.rtmpConnections]);
    this.dropped.show(s.t, [s.droppedViewers]);
    const stream = this.room ? history.streams.find((x) => x.roomId === this.room!.id) ?? null : null;
    this.showStream(stream);
  }

  private showStream(st: StreamHistory | null): void {
    const t0 = st?.t ?? [];
    setShown(this.streamEmpty, !!this.room && t0.length === 0);
    setAttr(this.streamSection, 'data-room', this.room?.id ?? null);
    this.units.bitrate = unitFor(BIT_UNITS, st?.bitrateIn ?? []);
    this.bitrateIn.show(t0, [scaled(st?.bitrateIn ?? [], this.units.bitrate)]);
    this.fps.show(t0, [st?.fps ?? []]);
    // the embedded plane counts slow viewers server-wide only: then the stream's series stays empty
    const dropped = st?.droppedViewers ?? t0.map(() => null);
    this.viewers.show(t0, [st?.viewers.flv ?? [], st?.viewers.hls ?? [], st?.viewers.rtmp ?? [], dropped]);
  }
}
