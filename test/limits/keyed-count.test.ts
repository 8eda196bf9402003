import { KeyedCount } from '../../server/limits/keyed-count';

test('holders per key stop at the cap; a release frees one place, once', () => {
  const c = new KeyedCount(2);
  const a = c.acquire('1.2.3.4')!;
  const b = c.acquire('1.2.3.4')!;
  expect(c.acquire('1.2.3.4')).toBeNull();
  expect(c.acquire('5.6.7.8')).not.toBeNull(); // other keys are not affected
  a();
  a(); // a second release of the same holder frees nothing more
  expect(c.count('1.2.3.4')).toBe(1);
  expect(c.acquire('1.2.3.4')).not.toBeNull();
  expect(c.acquire('1.2.3.4')).toBeNull();
  b();
});

test('keys whose holders all left are forgotten', () => {
  const c = new KeyedCount(1);
  const releases = Array.from({ length: 1000 }, (_, i) => c.acquire(`10.0.${i >> 8}.${i & 255}`)!);
  expect(c.size).toBe(1000);
  for (const r of releases) r();
  expect(c.size).toBe(0);
});

test('forgotten keys are swept in batches: a flood of addresses holds at most a few hundred keys at zero', () => {
  const c = new KeyedCount(1);
  for (let i = 0; i < 10_000; i++) {
    expect(c.add(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)).toBe(true);
    c.remove(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
  }
  expect(c.size).toBe(0);
  expect(c.keysHeld).toBeLessThanOrEqual(257);
  // a key at zero that is used again counts from zero, and is not swept while held
  c.add('1.1.1.1');
  c.remove('1.1.1.1');
  expect(c.add('1.1.1.1')).toBe(true);
  expect(c.add('1.1.1.1')).toBe(false);
  for (let i = 0; i < 1000; i++) { c.add(`k${i}`); c.remove(`k${i}`); }
  expect(c.count('1.1.1.1')).toBe(1);
  expect(c.size).toBe(1);
  c.remove('1.1.1.1');
  c.remove('1.1.1.1'); // one remove too many frees nothing
  expect(c.count('1.1.1.1')).toBe(0);
  expect(c.size).toBe(0);
});

test('a cap of 0 admits nobody', () => {
  const c = new KeyedCount(0);
  expect(c.add('a')).toBe(false);
  expect(c.acquire('a')).toBeNull();
  expect(c.keysHeld).toBe(0);
});
