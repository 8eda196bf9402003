// Cursor paging over newest-first lists: the API only goes forward, so the cursors of earlier pages are kept.
export class Pager {
  /** cursor of each visited page; the first page has none */
  private cursors: (string | undefined)[] = [undefined];
  private next: string | null = null;

  get cursor(): string | undefined {
    return this.cursors[this.cursors.length - 1];
  }

  get page(): number {
    return this.cursors.length;
  }

  get hasNext(): boolean {
    return this.next !== null;
  }

  get hasPrev(): boolean {
    return this.cursors.length > 1;
  }

  /** Records the next cursor the current page reported. */
  loaded(nextCursor: string | null): void {
    this.next = nextCursor;
  }

  forward(): void {
    if (this.next) this.cursors.push(this.next);
    this.next = null;
  }

  back(): void {
    if (this.cursors.length > 1) this.cursors.pop();
    this.next = null;
  }

  reset(): void {
    this.cursors = [undefined];
    this.next = null;
  }
}
