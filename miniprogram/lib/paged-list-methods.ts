// The loading rules of a paged list page (the rooms list, the Videos page), kept in one place: a refresh drops
// answers to requests sent before it, "more" never overlaps a load or follows an error, and retry repeats what
// failed (from scratch when nothing is shown, else the next page, keeping what is shown). No wx here, so the
// rules are tested on a bare object; the pages keep their pull-down handler.

/** What the page keeps outside its data: the refresh generation (bumped here) and the list being paged. */
interface PagedRuntime { generation: number }
interface PagedSource { reset(): void; readonly done: boolean }

interface PagedPage {
  data: { loading: boolean; loadingMore: boolean; error: string };
  setData(data: Record<string, unknown>): void;
  /** the page's own fetch: one page (or more) of its list, dropped if `generation` is no longer current */
  fetchPage(generation: number): Promise<void>;
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
}

export function pagedListMethods<R extends PagedRuntime>(
  runtime: (page: object) => R, source: (r: R) => PagedSource, shownCount: (page: PagedPage) => number,
) {
  return {
    onReachBottom(this: PagedPage) {
      return this.loadMore();
    },

    async refresh(this: PagedPage): Promise<void> {
      const r = runtime(this);
      r.generation += 1;
      source(r).reset();
      this.setData({ loading: true, loadingMore: false, error: '', empty: false, done: false });
      await this.fetchPage(r.generation);
    },

    async loadMore(this: PagedPage): Promise<void> {
      const r = runtime(this);
      if (this.data.loading || this.data.loadingMore || this.data.error || source(r).done) return;
      this.setData({ loadingMore: true });
      await this.fetchPage(r.generation);
    },

    onRetry(this: PagedPage) {
      if (shownCount(this) === 0) return this.refresh();
      this.setData({ error: '' });
      return this.loadMore();
    },
  };
}
