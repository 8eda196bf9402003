// Like taps batched into `like` frames: at most one frame per window, each count 1–LIKE_MAX_PER_FRAME.
import { LikeBatcher } from '../../../miniprogram/lib/like-batcher';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('taps within a window go as one frame; more than 50 spill into the next windows', () => {
  const sent: { count: number; at: number }[] = [];
  const start = Date.now();
  const b = new LikeBatcher(250, (count) => sent.push({ count, at: Date.now() - start }));
  for (let i = 0; i < 3; i++) b.tap();
  expect(sent).toEqual([]);
  jest.advanceTimersByTime(250);
  expect(sent).toEqual([{ count: 3, at: 250 }]);
  for (let i = 0; i < 120; i++) b.tap();
  jest.advanceTimersByTime(1000);
  expect(sent.map((s) => s.count)).toEqual([3, 50, 50, 20]);
  // never two frames less than a window apart
  for (let i = 1; i < sent.length; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(250);
});

test('cancel() drops what is pending (the page went away)', () => {
  const sent: number[] = [];
  const b = new LikeBatcher(250, (c) => sent.push(c));
  b.tap();
  b.cancel();
  jest.advanceTimersByTime(1000);
  expect(sent).toEqual([]);
  expect(b.pending).toBe(0);
});
