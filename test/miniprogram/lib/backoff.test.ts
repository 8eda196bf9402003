import { backoffDelay, RetryBudget, type BackoffPolicy } from '../../../miniprogram/lib/backoff';

const policy: BackoffPolicy = { baseMs: 1000, factor: 2, maxMs: 5000, maxTries: 3, jitter: 0.5 };

test('delays grow by the factor and stop at the cap', () => {
  const noJitter = () => 0;
  expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, noJitter))).toEqual([1000, 2000, 4000, 5000, 5000]);
});

test('jitter only shortens a delay, by at most its share', () => {
  expect(backoffDelay(1, policy, () => 1)).toBe(500);
  expect(backoffDelay(3, policy, () => 0.5)).toBe(3000);
  // out-of-range randoms are clamped
  expect(backoffDelay(2, policy, () => 7)).toBe(1000);
  expect(backoffDelay(2, policy, () => -1)).toBe(2000);
});

test('attempt numbers below 1 count as the first retry; fractions are whole retries', () => {
  expect(backoffDelay(0, policy, () => 0)).toBe(1000);
  expect(backoffDelay(-3, policy, () => 0)).toBe(1000);
  expect(backoffDelay(2.9, policy, () => 0)).toBe(2000);
});

test('the delay is rounded to whole milliseconds', () => {
  expect(backoffDelay(1, { ...policy, baseMs: 333, jitter: 0.1 }, () => 0.5)).toBe(316); // 333 − 16.65
});

test('the default random source is Math.random, and jitter stays within its share', () => {
  const spy = jest.spyOn(Math, 'random').mockReturnValue(1);
  try {
    expect(backoffDelay(1, policy)).toBe(500);
    expect(new RetryBudget(policy).next()).toBe(500);
  } finally {
    spy.mockRestore();
  }
});

test('a budget hands out maxTries delays, then null, and starts over after reset', () => {
  const b = new RetryBudget(policy, () => 0);
  expect(b.exhausted).toBe(false);
  expect([b.next(), b.next()]).toEqual([1000, 2000]);
  expect(b.exhausted).toBe(false);
  expect(b.next()).toBe(4000);
  expect(b.exhausted).toBe(true);
  expect(b.next()).toBeNull();
  expect(b.attempts).toBe(3);
  expect(b.maxTries).toBe(3);
  b.reset();
  expect(b.attempts).toBe(0);
  expect(b.exhausted).toBe(false);
  expect(b.next()).toBe(1000);
});
