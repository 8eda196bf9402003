// The pure halves of sendMedia: which Range answer a header gets (RFC 9110 §14.1.2: one range served, anything
// else answered whole, only a start past the end refused) and when a conditional GET is a 304 (§13.1).
import { byteRange } from '../../../server/api/byte-range';
import { notModified } from '../../../server/api/conditional';

test.each([
  [undefined, { whole: true }],
  ['bytes=0-99', { start: 0, end: 99 }],
  ['bytes=10-', { start: 10, end: 999 }],
  ['bytes=-100', { start: 900, end: 999 }],
  ['bytes=-5000', { start: 0, end: 999 }], // a suffix longer than the body is all of it
  ['bytes=990-5000', { start: 990, end: 999 }],
  ['bytes=999-999', { start: 999, end: 999 }],
  ['bytes=1000-', { unsatisfiable: true }],
  ['bytes=1000-1010', { unsatisfiable: true }],
  ['bytes=-0', { unsatisfiable: true }],
  ['bytes=5-2', { whole: true }], // invalid: ignored
  ['bytes=0-1,5-6', { whole: true }], // several ranges: answered whole
  ['items=0-9', { whole: true }],
  ['bytes=-', { whole: true }],
  ['bytes=a-b', { whole: true }],
  [' bytes=0-0 ', { start: 0, end: 0 }],
] as const)('%s of 1000 bytes', (header, answer) => {
  expect(byteRange(header, 1000)).toEqual(answer);
});

test('an empty body satisfies no range', () => {
  expect([byteRange('bytes=0-', 0), byteRange('bytes=-1', 0)]).toEqual([{ unsatisfiable: true }, { unsatisfiable: true }]);
});

test('If-None-Match compares weakly, takes lists and *, and wins over If-Modified-Since', () => {
  const v = { etag: '"a-1-2"', lastModified: 'Thu, 01 Jan 2026 00:00:04 GMT' };
  expect(notModified({ ifNoneMatch: '"a-1-2"' }, v)).toBe(true);
  expect(notModified({ ifNoneMatch: 'W/"a-1-2"' }, v)).toBe(true);
  expect(notModified({ ifNoneMatch: '"x", "a-1-2"' }, v)).toBe(true);
  expect(notModified({ ifNoneMatch: '*' }, v)).toBe(true);
  expect(notModified({ ifNoneMatch: '"a-1-3"' }, v)).toBe(false);
  expect(notModified({ ifNoneMatch: '"a-1-3"', ifModifiedSince: 'Fri, 02 Jan 2026 00:00:00 GMT' }, v)).toBe(false);
  expect(notModified({ ifNoneMatch: '"a-1-2"' }, { lastModified: v.lastModified })).toBe(false); // nothing to match
});

test('If-Modified-Since: 304 at or after Last-Modified, 200 before it or when unreadable', () => {
  const v = { etag: '"a"', lastModified: 'Thu, 01 Jan 2026 00:00:04 GMT' };
  expect(notModified({ ifModifiedSince: 'Thu, 01 Jan 2026 00:00:04 GMT' }, v)).toBe(true);
  expect(notModified({ ifModifiedSince: 'Thu, 01 Jan 2026 00:00:05 GMT' }, v)).toBe(true);
  expect(notModified({ ifModifiedSince: 'Thu, 01 Jan 2026 00:00:03 GMT' }, v)).toBe(false);
  expect(notModified({ ifModifiedSince: 'yesterday' }, v)).toBe(false);
  expect(notModified({}, v)).toBe(false);
});
