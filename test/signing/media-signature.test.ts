// Signed media URLs: round trip, and every tampered field refused with its own reason.
import {
  pushGenerationOf, readSignedParams, signMedia, toQuery, verifyMedia, verifyMediaQuery, type SignedParams,
} from '../../server/signing/media-signature';

const SECRET = 'a-signing-secret-of-at-least-32-characters!';
const NOW = 1_750_000_000;
const EXP = NOW + 600;

/** parse a query string the way Koa does: repeated keys become arrays */
function query(qs: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(qs)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const signed = (action: 'publish' | 'play' = 'publish', room = 'roomAAAAAAAA', exp = EXP) =>
  readSignedParams(query(toQuery(signMedia(SECRET, action, room, exp))));

describe('media signatures', () => {
  test('round trip: a signature verifies for its own action, room and expiry', () => {
    for (const action of ['publish', 'play'] as const) {
      const p = signed(action);
      expect(p).not.toBeNull();
      expect(verifyMedia(SECRET, action, 'roomAAAAAAAA', p, NOW)).toEqual({ ok: true });
    }
  });

  test('the query carries exactly expires and sign, URL-safe', () => {
    const qs = toQuery(signMedia(SECRET, 'play', 'roomAAAAAAAA', EXP));
    expect(qs).toMatch(/^expires=\d+&sign=[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(qs.split('sign=')[1]!)).toBe(qs.split('sign=')[1]);
  });

  test('a signature for another room is refused as bad_signature', () => {
    expect(verifyMedia(SECRET, 'publish', 'roomBBBBBBBB', signed('publish', 'roomAAAAAAAA'), NOW))
      .toEqual({ ok: false, reason: 'bad_signature' });
  });

  test('a play signature never publishes, and a publish signature never plays: wrong_action', () => {
    expect(verifyMedia(SECRET, 'publish', 'roomAAAAAAAA', signed('play'), NOW)).toEqual({ ok: false, reason: 'wrong_action' });
    expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', signed('publish'), NOW)).toEqual({ ok: false, reason: 'wrong_action' });
  });

  test('a changed expiry (later or earlier) is refused as bad_signature', () => {
    const p = signed()!;
    for (const expires of [p.expires + 1, p.expires - 1, p.expires + 86400 * 365]) {
      expect(verifyMedia(SECRET, 'publish', 'roomAAAAAAAA', { ...p, expires }, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  test('every changed byte of the signature is refused as bad_signature', () => {
    const p = signed()!;
    const bytes = Buffer.from(p.sign, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Buffer.from(bytes);
      tampered[i] = tampered[i]! ^ 0x01;
      const verdict = verifyMedia(SECRET, 'publish', 'roomAAAAAAAA', { ...p, sign: tampered.toString('base64url') }, NOW);
      expect(verdict).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  test('a non-canonical spelling of the same signature bytes is refused (no malleable signatures)', () => {
    const p = signed()!;
    // 43 base64url chars hold 258 bits for 256: the last char's low 2 bits are padding and must be zero
    const last = p.sign[42]!;
    const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = ALPHA[ALPHA.indexOf(last) ^ 1]!;
    const sign = p.sign.slice(0, 42) + twin;
    expect(Buffer.from(sign, 'base64url').equals(Buffer.from(p.sign, 'base64url'))).toBe(true);
    expect(verifyMedia(SECRET, 'publish', 'roomAAAAAAAA', { ...p, sign }, NOW).ok).toBe(false);
  });

  test('another secret refuses the signature', () => {
    expect(verifyMedia(SECRET + 'x', 'publish', 'roomAAAAAAAA', signed(), NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  test('an expiry in the past is refused as expired; the expiry second itself still passes', () => {
    const past = signed('play', 'roomAAAAAAAA', NOW - 1);
    expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', past, NOW)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', signed('play', 'roomAAAAAAAA', NOW), NOW)).toEqual({ ok: true });
    // the default clock is now: a long-gone expiry is expired without passing a time
    expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', signed('play', 'roomAAAAAAAA', 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  test.each<[string, string]>([
    ['missing sign', `expires=${EXP}`],
    ['missing expires', 'sign=' + 'A'.repeat(43)],
    ['empty query', ''],
    ['expires not a number', `expires=soon&sign=${'A'.repeat(43)}`],
    ['negative expires', `expires=-5&sign=${'A'.repeat(43)}`],
    ['fractional expires', `expires=1.5&sign=${'A'.repeat(43)}`],
    ['huge expires', `expires=${'9'.repeat(20)}&sign=${'A'.repeat(43)}`],
    ['sign too short', `expires=${EXP}&sign=${'A'.repeat(42)}`],
    ['sign too long', `expires=${EXP}&sign=${'A'.repeat(44)}`],
    ['sign with padding', `expires=${EXP}&sign=${'A'.repeat(42)}%3D`],
    ['sign not base64url', `expires=${EXP}&sign=${'+'.repeat(43)}`],
  ])('malformed: %s', (_what, qs) => {
    expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', readSignedParams(query(qs)), NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  test('duplicate sign or expires parameters (arrays) are malformed, even when one copy is valid', () => {
    const good = toQuery(signMedia(SECRET, 'play', 'roomAAAAAAAA', EXP));
    const g = query(good) as { expires: string; sign: string };
    for (const qs of [`${good}&sign=${g.sign}`, `${good}&expires=${g.expires}`, `${good}&sign=${'B'.repeat(43)}`]) {
      const parsed = query(qs);
      expect(Array.isArray(parsed.sign) || Array.isArray(parsed.expires)).toBe(true);
      expect(readSignedParams(parsed)).toBeNull();
      expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', readSignedParams(parsed), NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  test('non-string values are malformed', () => {
    const cases: Record<string, unknown>[] = [
      { expires: EXP, sign: 'A'.repeat(43) }, { expires: String(EXP), sign: null }, { expires: { n: 1 }, sign: 'A'.repeat(43) },
    ];
    for (const c of cases) expect(readSignedParams(c)).toBeNull();
  });

  test('a hand-built params object with a short signature is malformed, not a crash', () => {
    const p: SignedParams = { expires: EXP, sign: 'AAAA' };
    expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', p, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  test('a repeated sign parameter is malformed even when one copy alone would be valid', () => {
    const { expires, sign } = signMedia(SECRET, 'play', 'roomAAAAAAAA', EXP);
    // Koa turns `?sign=a&sign=a` into an array; a one-element array would stringify to a valid signature
    expect(readSignedParams({ expires: String(expires), sign: [sign] })).toBeNull();
    expect(readSignedParams({ expires: [String(expires)], sign })).toBeNull();
  });

  test('without an explicit clock the current time is used: fresh passes, a minute ago is expired', () => {
    const nowS = Math.floor(Date.now() / 1000);
    const fresh = readSignedParams(query(toQuery(signMedia(SECRET, 'play', 'roomAAAAAAAA', nowS + 60))));
    const stale = readSignedParams(query(toQuery(signMedia(SECRET, 'play', 'roomAAAAAAAA', nowS - 60))));
    expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', fresh)).toEqual({ ok: true });
    expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', stale)).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('push ticket generations', () => {
  const withGen = (gen: number) => readSignedParams(query(toQuery(signMedia(SECRET, 'publish', 'roomAAAAAAAA', EXP, gen))));

  test('the generation is carried as gen between expires and sign, and read back', () => {
    const qs = toQuery(signMedia(SECRET, 'publish', 'roomAAAAAAAA', EXP, 7));
    expect(qs).toMatch(/^expires=\d+&gen=7&sign=[A-Za-z0-9_-]{43}$/);
    expect(withGen(7)).toMatchObject({ gen: 7 });
    expect(pushGenerationOf(query(qs))).toBe(7);
    expect(verifyMedia(SECRET, 'publish', 'roomAAAAAAAA', withGen(7), NOW)).toEqual({ ok: true });
  });

  test('the generation is signed: changing, adding or dropping it is bad_signature', () => {
    const p = withGen(3)!;
    for (const gen of [2, 4, 0]) {
      expect(verifyMedia(SECRET, 'publish', 'roomAAAAAAAA', { ...p, gen }, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    }
    const { gen: _dropped, ...without } = p;
    expect(verifyMedia(SECRET, 'publish', 'roomAAAAAAAA', without, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyMedia(SECRET, 'publish', 'roomAAAAAAAA', { ...signed()!, gen: 0 }, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  test('a URL without gen (issued before generations, or a play URL) is generation 0', () => {
    expect(pushGenerationOf(query(toQuery(signMedia(SECRET, 'publish', 'roomAAAAAAAA', EXP))))).toBe(0);
    expect(pushGenerationOf({})).toBe(0);
  });

  test('a repeated, signed or oversized gen is malformed', () => {
    const qs = toQuery(signMedia(SECRET, 'publish', 'roomAAAAAAAA', EXP, 1));
    for (const bad of [`${qs}&gen=1`, qs.replace('gen=1', 'gen=-1'), qs.replace('gen=1', 'gen=01'), qs.replace('gen=1', 'gen=1234567890'),
      qs.replace('gen=1', 'gen=')]) {
      expect([bad, readSignedParams(query(bad))]).toEqual([bad, null]);
    }
  });

  test('a push signature with a generation still never plays', () => {
    expect(verifyMedia(SECRET, 'play', 'roomAAAAAAAA', withGen(2), NOW)).toEqual({ ok: false, reason: 'wrong_action' });
  });
});

test('a signature verified before is answered from memory with the same verdicts: expiry, room, action and secret still count', () => {
  const secret = 'cache-secret-0123456789';
  const p = signMedia(secret, 'play', 'roomCACHE001', 2000);
  expect(verifyMedia(secret, 'play', 'roomCACHE001', p, 1000)).toEqual({ ok: true });
  const hmac = jest.spyOn(require('node:crypto') as typeof import('node:crypto'), 'createHmac');
  expect(verifyMedia(secret, 'play', 'roomCACHE001', p, 1500)).toEqual({ ok: true }); // from memory
  expect(hmac).not.toHaveBeenCalled();
  hmac.mockRestore();
  expect(verifyMedia(secret, 'play', 'roomCACHE001', p, 2001)).toEqual({ ok: false, reason: 'expired' });
  expect(verifyMedia(secret, 'play', 'roomCACHE002', p, 1000)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyMedia(secret, 'publish', 'roomCACHE001', p, 1000)).toEqual({ ok: false, reason: 'wrong_action' });
  expect(verifyMedia('another-secret-9876543', 'play', 'roomCACHE001', p, 1000)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyMedia(secret, 'play', 'roomCACHE001', { ...p, expires: 2001 }, 1000)).toEqual({ ok: false, reason: 'bad_signature' });
});

test('a query that spells a verified signature is answered without parsing or HMAC; anything else is verified in full', () => {
  const secret = 'query-cache-secret-0123456789';
  const q = query(toQuery(signMedia(secret, 'play', 'roomQUERY001', 2000)));
  const pushQ = query(toQuery(signMedia(secret, 'publish', 'roomQUERY001', 2000, 3)));
  expect(verifyMediaQuery(secret, 'play', 'roomQUERY001', q, 1000)).toEqual({ ok: true });
  expect(verifyMediaQuery(secret, 'publish', 'roomQUERY001', pushQ, 1000)).toEqual({ ok: true });
  const hmac = jest.spyOn(require('node:crypto') as typeof import('node:crypto'), 'createHmac');
  expect(verifyMediaQuery(secret, 'play', 'roomQUERY001', { ...q }, 1500)).toEqual({ ok: true });
  expect(verifyMediaQuery(secret, 'publish', 'roomQUERY001', { ...pushQ }, 1500)).toEqual({ ok: true });
  expect(hmac).not.toHaveBeenCalled();
  // the expiry still counts; a leading zero is another spelling of the same expiry, so it is verified again (same verdict)
  expect(verifyMediaQuery(secret, 'play', 'roomQUERY001', q, 2001)).toEqual({ ok: false, reason: 'expired' });
  expect(verifyMediaQuery(secret, 'play', 'roomQUERY001', { ...q, expires: `0${q.expires}` }, 1000)).toEqual({ ok: true });
  hmac.mockRestore();
  // another room, action, expiry, generation or secret is not the verified ticket
  expect(verifyMediaQuery(secret, 'play', 'roomQUERY002', q, 1000)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyMediaQuery(secret, 'publish', 'roomQUERY001', q, 1000)).toEqual({ ok: false, reason: 'wrong_action' });
  expect(verifyMediaQuery(secret, 'play', 'roomQUERY001', { ...q, expires: '2001' }, 1000)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyMediaQuery(secret, 'publish', 'roomQUERY001', { ...pushQ, gen: '4' }, 1000)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyMediaQuery(secret, 'publish', 'roomQUERY001', { ...pushQ, gen: undefined }, 1000)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyMediaQuery('another-secret-9876543', 'play', 'roomQUERY001', q, 1000)).toEqual({ ok: false, reason: 'bad_signature' });
  // a repeated parameter is malformed even though one copy is the verified one
  expect(verifyMediaQuery(secret, 'play', 'roomQUERY001', { ...q, sign: [q.sign, q.sign] }, 1000)).toEqual({ ok: false, reason: 'malformed' });
  expect(verifyMediaQuery(secret, 'play', 'roomQUERY001', { ...q, expires: [q.expires, q.expires] }, 1000)).toEqual({ ok: false, reason: 'malformed' });
});
