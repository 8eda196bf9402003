// Request ids made here are UUID-shaped and distinct; a sane incoming one is kept, an unsafe one replaced.
import { newRequestId, requestIdOf } from '../../server/api/request-ids';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ten thousand new ids are v4-shaped and all different', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const id = newRequestId();
    expect(id).toMatch(UUID_V4);
    ids.add(id);
  }
  expect(ids.size).toBe(10_000);
});

test('a sane given id is kept; a missing, long or unsafe one gets a new id', () => {
  expect(requestIdOf('proxy-7.a:b')).toBe('proxy-7.a:b');
  for (const given of [undefined, '', 'has space', 'x'.repeat(65), '<script>', ['a', 'b']]) {
    expect(requestIdOf(given)).toMatch(UUID_V4);
  }
});
