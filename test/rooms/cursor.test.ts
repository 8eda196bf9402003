// Pagination cursors: opaque base64url of (createdAt, id); anything this server could not have issued is a
// 400 invalid_cursor, never a crash or a position the store would misread.
import { InvalidInput } from '../../server/errors';
import { decodeCursor, encodeCursor } from '../../server/rooms/cursor';

const b64 = (s: string) => Buffer.from(s).toString('base64url');

function refusal(cursor: string): InvalidInput {
  try {
    decodeCursor(cursor);
  } catch (e) {
    return e as InvalidInput;
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
}

test('a cursor is URL-safe base64 of the JSON pair and decodes back to the position', () => {
  const p = { createdAt: 1_732_560_000_123, id: 'AbC012xyz789' };
  const c = encodeCursor(p);
  expect(c).toBe(b64('[1732560000123,"AbC012xyz789"]'));
  expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(decodeCursor(c)).toEqual(p);
  // the extremes a forged but well-formed cursor may carry still decode (the store then pages from there)
  for (const q of [{ createdAt: 0, id: '' }, { createdAt: -Number.MAX_SAFE_INTEGER, id: 'x' },
    { createdAt: Number.MAX_SAFE_INTEGER, id: '中文?&' }]) expect(decodeCursor(encodeCursor(q))).toEqual(q);
});

test('refusals are typed 400s with the invalid_cursor code', () => {
  const e = refusal('');
  expect(e).toBeInstanceOf(InvalidInput);
  expect([e.kind, e.code, e.message]).toEqual(['invalid', 'invalid_cursor', 'The cursor is not one this server issued.']);
});

test.each([
  ['empty', ''],
  ['standard base64 alphabet', Buffer.from('[1,"a?>"]').toString('base64')], // contains + or / or =
  ['padding', `${b64('[1,"a"]')}=`],
  ['a character outside base64url', `${b64('[1,"a"]')}.`],
  ['a prefix outside base64url', `!${b64('[1,"a"]')}`],
  ['longer than 200 characters', b64(JSON.stringify([1, 'x'.repeat(150)]))],
  ['not JSON', b64('not json')],
  ['truncated JSON', b64('[1,"ab')],
  ['an object', b64('{"createdAt":1,"id":"a"}')],
  ['null', b64('null')],
  ['one element', b64('[1]')],
  ['three elements', b64('[1,"a","b"]')],
  ['createdAt a string', b64('["1","a"]')],
  ['createdAt fractional', b64('[1.5,"a"]')],
  ['createdAt beyond safe integers', b64('[9007199254740992,"a"]')],
  ['createdAt huge', b64('[1e300,"a"]')],
  ['id a number', b64('[1,2]')],
  ['id an object', b64('[1,{"$gt":""}]')],
  ['id null', b64('[1,null]')],
])('refused: %s', (_why, cursor) => {
  expect(refusal(cursor).code).toBe('invalid_cursor');
});

test('the length limit is 200 characters, inclusive', () => {
  // base64url of 150 bytes is exactly 200 characters
  const at = b64(JSON.stringify([1, 'x'.repeat(150 - '[1,""]'.length)]));
  expect(at).toHaveLength(200);
  expect(decodeCursor(at).id).toHaveLength(144);
  const over = b64(JSON.stringify([1, 'x'.repeat(151 - '[1,""]'.length)]));
  expect(over.length).toBeGreaterThan(200);
  expect(refusal(over).code).toBe('invalid_cursor');
});
