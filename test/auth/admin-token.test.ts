// The admin bearer check and the Authorization header reader.
import { bearerToken, isAdminToken } from '../../server/auth/admin-token';

test('only the exact token passes, whatever the length of the guess', () => {
  const token = 'A1b2C3d4E5f6G7h8I9j0';
  expect(isAdminToken(token, token)).toBe(true);
  for (const guess of [undefined, '', token.slice(0, -1), token + 'x', token.toLowerCase(), ' ' + token, 'x'.repeat(1000)]) {
    expect(isAdminToken(token, guess)).toBe(false);
  }
});

test('bearerToken reads "Bearer <token>", case-insensitive scheme, surrounding spaces ignored', () => {
  expect(bearerToken('Bearer abc.def')).toBe('abc.def');
  expect(bearerToken('bearer   abc ')).toBe('abc');
  for (const h of [undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Token abc', 'abc']) {
    expect(bearerToken(h)).toBeUndefined();
  }
});
