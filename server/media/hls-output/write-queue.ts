// One recorder's disk work, done in order off the event loop: a segment's blocks, its rename, then the playlist
// that lists it, then the removal of a segment that left the window. Order is the contract: a playlist is
// never in place before the segments it names.
export type DiskJob = () => Promise<unknown>;

export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** `onError` is told a job's failure (on a later tick); the jobs after it still run and decide for themselves. */
  constructor(private readonly onError: (err: unknown, index: number | undefined) => void) {}

  /** Runs `job` after every job queued before it; `index`: the segment it writes, reported with a failure. */
  push(job: DiskJob, index?: number): void {
    this.pending++;
    this.tail = this.tail.then(job).catch((err: unknown) => {
      try {
        this.onError(err, index);
      } catch {
        // the chain must stay resolved, or every later job would be skipped
      }
    }).finally(() => { this.pending--; });
  }

  /** Jobs queued and not done yet. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once every job queued so far is done. */
  settled(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
