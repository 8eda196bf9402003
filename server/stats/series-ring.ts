// A fixed-size ring of samples: a time column and named value columns, the oldest point overwritten when full.
// Memory is allocated once (capacity × columns doubles), so a history never grows with uptime.

export type Columns<K extends string> = { t: number[] } & Record<K, number[]>;

export class SeriesRing<K extends string> {
  private readonly t: Float64Array;
  private readonly cols: Record<K, Float64Array>;
  /** index of the oldest point */
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number, private readonly keys: readonly K[]) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('capacity must be a positive integer');
    this.t = new Float64Array(capacity);
    this.cols = Object.fromEntries(keys.map((k) => [k, new Float64Array(capacity)])) as Record<K, Float64Array>;
  }

  get length(): number {
    return this.size;
  }

  /** time of the newest point, or null when empty */
  get lastT(): number | null {
    return this.size === 0 ? null : this.t[(this.head + this.size - 1) % this.capacity]!;
  }

  push(t: number, values: Record<K, number>): void {
    const at = (this.head + this.size) % this.capacity;
    this.t[at] = t;
    for (const k of this.keys) this.cols[k][at] = values[k];
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Forgets the points older than `t` (a stalled process may have kept points from before the window). */
  dropBefore(t: number): void {
    while (this.size > 0 && this.t[this.head]! < t) {
      this.head = (this.head + 1) % this.capacity;
      this.size--;
    }
  }

  /** The points, oldest first, one plain array per column. */
  columns(): Columns<K> {
    const read = (col: Float64Array) => Array.from({ length: this.size }, (_, i) => col[(this.head + i) % this.capacity]!);
    const out = { t: read(this.t) } as Columns<K>;
    for (const k of this.keys) (out as Record<K, number[]>)[k] = read(this.cols[k]);
    return out;
  }
}
