// One time-series chart of the admin console, drawn by uPlot on a canvas: created once the box has a width, then
// fed new columns on every refresh and resized with its box. data-points says how many points it shows (tests).
import uPlot from 'uplot';
import { el, setText } from '../shared/dom';
import { formatClock, formatTime } from '../shared/format';
import { t } from '../shared/i18n';

export interface SeriesSpec {
  label: string;
  color: string;
}

export interface ChartSpec {
  /** names the chart for tests and styles (data-chart) */
  key: string;
  title: string;
  series: SeriesSpec[];
  /** a value as the axis and legend show it */
  format(v: number): string;
}

const HEIGHT = 150;
const AXIS = { stroke: '#98a2b3', grid: { stroke: '#2a3140', width: 1 }, ticks: { stroke: '#2a3140', width: 1 } };

export class HistoryChart {
  readonly root: HTMLElement;
  private readonly box: HTMLElement;
  private plot: uPlot | null = null;
  private data: uPlot.AlignedData = [[]];
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(parent: HTMLElement, private readonly spec: ChartSpec) {
    this.box = el('div', 'chart-box');
    this.root = el('figure', 'chart', '', el('figcaption', '', spec.title), this.box);
    this.root.dataset.chart = spec.key;
    this.root.dataset.points = '0';
    parent.appendChild(this.root);
    this.resize.observe(this.box);
  }

  /** `t` in Unix seconds and one column per series, in the order of spec.series. */
  show(t: number[], columns: (number | null)[][]): void {
    this.data = [t, ...columns] as uPlot.AlignedData;
    this.root.dataset.points = String(t.length);
    if (this.plot) this.plot.setData(this.data);
    else this.fit();
  }

  setTitle(title: string): void {
    setText(this.root.querySelector('figcaption')!, title);
  }

  private fit(): void {
    const width = Math.floor(this.box.clientWidth);
    if (width < 50) return; // hidden: drawn once shown
    if (!this.plot) this.plot = new uPlot(this.options(width), this.data, this.box);
    else if (this.plot.width !== width) this.plot.setSize({ width, height: HEIGHT });
  }

  private options(width: number): uPlot.Options {
    const { format } = this.spec;
    return {
      width,
      height: HEIGHT,
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (_u, min, max) => [0, Math.max(max * 1.1, min + 1)] } },
      axes: [
        // clock times the page's way (14:05 / 2:05 PM), not uPlot's English dates
        { ...AXIS, space: 80, values: (_u, splits) => splits.map((v) => formatClock(new Date(v * 1000).toISOString())) },
        { ...AXIS, size: 78, values: (_u, splits) => splits.map((v) => format(v)) },
      ],
      series: [
        { label: t('admin.chart.time'), value: (_u, v) => (v == null ? t('none') : formatTime(v * 1000)) },
        ...this.spec.series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          fill: `${s.color}22`,
          points: { show: false },
          value: (_u, v) => (v == null ? t('none') : format(v)),
        })),
      ],
    };
  }
}
