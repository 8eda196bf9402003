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
