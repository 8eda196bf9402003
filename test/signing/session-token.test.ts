// Session tokens: round trip, expiry, and tampering with the payload, every claim or the signature.
import { createHmac } from 'node:crypto';
import { issueSessionToken, readSessionToken } from '../../server/signing/session-token';

const SECRET = 'a-signing-secret-of-at-least-32-characters!';
const NOW = 1_750_000_000;
const claims = { sub: 'dev_abc', nick: 'dev-a', exp: NOW + 3600 };

const reencode = (token: string, edit: (c: Record<string, unknown>) => void): string => {
  const [payload, sig] = token.split('.') as [string, string];
  const c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  edit(c);
  return `${Buffer.from(JSON.stringify(c)).toString('base64url')}.${sig}`;
};

describe('session tokens', () => {
  test('round trip returns the claims', () => {
    expect(readSessionToken(SECRET, issueSessionToken(SECRET, claims), NOW)).toEqual(claims);
  });

  test('expired → null; valid up to the expiry second', () => {
    const t = issueSessionToken(SECRET, claims);
    expect(readSessionToken(SECRET, t, claims.exp)).toEqual(claims);
    expect(readSessionToken(SECRET, t, claims.exp + 1)).toBeNull();
  });

  test('a changed claim (sub, nick, exp) keeps the old signature and is refused', () => {
    const t = issueSessionToken(SECRET, claims);
    expect(readSessionToken(SECRET, reencode(t, (c) => { c.sub = 'someone_else'; }), NOW)).toBeNull();
    expect(readSessionToken(SECRET, reencode(t, (c) => { c.nick = 'x'; }), NOW)).toBeNull();
    expect(readSessionToken(SECRET, reencode(t, (c) => { c.exp = NOW + 10 * 86400; }), NOW)).toBeNull();
  });

  test('every changed signature byte is refused', () => {
    const t = issueSessionToken(SECRET, claims);
    const [payload, sig] = t.split('.') as [string, string];
    const bytes = Buffer.from(sig, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const b = Buffer.from(bytes);
      b[i] = b[i]! ^ 0x80;
      expect(readSessionToken(SECRET, `${payload}.${b.toString('base64url')}`, NOW)).toBeNull();
    }
  });

  test('a non-canonical spelling of the signature is refused', () => {
    const t = issueSessionToken(SECRET, claims);
    const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = t[t.length - 1]!;
    const twin = t.slice(0, -1) + ALPHA[ALPHA.indexOf(last) ^ 1];
    expect(readSessionToken(SECRET, twin, NOW)).toBeNull();
  });

  test('another secret, a media signature secret domain, and garbage are refused', () => {
    const t = issueSessionToken(SECRET, claims);
    expect(readSessionToken(SECRET + 'x', t, NOW)).toBeNull();
    for (const junk of ['', '.', 'abc', 'a.b.c', `${t}.x`, `${t.split('.')[0]}.`, `.${t.split('.')[1]}`]) {
      expect(readSessionToken(SECRET, junk, NOW)).toBeNull();
    }
  });

  test('a validly signed payload without the required claims is refused', () => {
    expect(readSessionToken(SECRET, issueSessionToken(SECRET, { sub: 1 as unknown as string, exp: NOW + 60 }), NOW)).toBeNull();
    expect(readSessionToken(SECRET, issueSessionToken(SECRET, { sub: 'a', exp: 'later' as unknown as number }), NOW)).toBeNull();
  });

  test('without an explicit clock the current time is used', () => {
    const nowS = Math.floor(Date.now() / 1000);
    expect(readSessionToken(SECRET, issueSessionToken(SECRET, { sub: 'a', exp: nowS + 60 }))).toEqual({ sub: 'a', exp: nowS + 60 });
    expect(readSessionToken(SECRET, issueSessionToken(SECRET, { sub: 'a', exp: nowS - 60 }))).toBeNull();
  });

  test('a correctly signed payload that is not JSON is refused, not thrown', () => {
    // forged with the documented format (HMAC-SHA256 over "wxlive-session\n" + payload), as a leaked secret would allow
    const payload = Buffer.from('{not json').toString('base64url');
    const sig = createHmac('sha256', SECRET).update(`wxlive-session\n${payload}`).digest('base64url');
    expect(readSessionToken(SECRET, `${payload}.${sig}`, NOW)).toBeNull();
  });
});
