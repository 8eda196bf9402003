// The paged-list rules shared by the rooms list and the Videos page, on a bare page object: a refresh drops the
// answer of a request sent before it, "more" waits for the load in flight and never follows an error or the end,
// and retry starts over only when nothing is shown.
import { pagedListMethods } from '../../../miniprogram/lib/paged-list-methods';

interface Source { resets: number; done: boolean; reset(): void }
interface Runtime { generation: number; source: Source }

function makePage(shown: number) {
  const runtime: Runtime = { generation: 0, source: { resets: 0, done: false, reset() { this.resets += 1; } } };
  const fetches: Array<{ generation: number; finish: () => void }> = [];
  const page = {
    data: { loading: false, loadingMore: false, error: '', shown },
    setData(d: Record<string, unknown>) { Object.assign(this.data, d); },
    fetchPage(generation: number): Promise<void> {
      return new Promise((resolve) => {
        fetches.push({ generation, finish: () => { if (generation === runtime.generation) Object.assign(page.data, { loading: false, loadingMore: false }); resolve(); } });
      });
    },
    ...pagedListMethods(() => runtime, (r: Runtime) => r.source, (p) => (p.data as unknown as { shown: number }).shown),
  };
  return { page, runtime, fetches };
}

test('a refresh bumps the generation and resets the list, so the older answer is dropped by its page', async () => {
  const { page, runtime, fetches } = makePage(0);
  void page.refresh();
  void page.refresh();
  expect(fetches.map((f) => f.generation)).toEqual([1, 2]);
  expect(runtime.source.resets).toBe(2);
  expect(page.data.loading).toBe(true);
  fetches[0].finish();
  expect(page.data.loading).toBe(true); // the stale answer changed nothing
  fetches[1].finish();
  expect(page.data.loading).toBe(false);
});

test('"more" is ignored while a load is in flight, after an error and at the end', async () => {
  const { page, runtime, fetches } = makePage(5);
  void page.loadMore();
  void page.loadMore();
  expect(fetches).toHaveLength(1);
  fetches[0].finish();
  page.setData({ error: 'x' });
  await page.loadMore();
  runtime.source.done = true;
  page.setData({ error: '' });
  await page.onReachBottom();
  expect(fetches).toHaveLength(1);
});

test('retry starts over when nothing is shown, and fetches the next page keeping the rows otherwise', async () => {
  const empty = makePage(0);
  empty.page.setData({ error: 'boom' });
  void empty.page.onRetry();
  expect(empty.runtime.source.resets).toBe(1);
  expect(empty.page.data.loading).toBe(true);

  const some = makePage(3);
  some.page.setData({ error: 'boom' });
  void some.page.onRetry();
  expect(some.runtime.source.resets).toBe(0);
  expect(some.page.data).toMatchObject({ error: '', loadingMore: true });
  expect(some.fetches).toHaveLength(1);
});
