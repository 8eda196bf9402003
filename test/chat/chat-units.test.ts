// The chat's pure pieces: client frame parsing, the send-rate bucket, time-sortable ids, the throttle, and
// the layering rule (server/chat knows neither HTTP nor the socket library).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseClientFrame } from '../../server/chat/client-frames';
import { MESSAGE_ID_PATTERN, newMessageId } from '../../server/chat/message-ids';
import { SendRateLimiter } from '../../server/chat/send-rate';
import { Throttle } from '../../server/chat/throttle';
import { isOneOf, scanImports, tsFilesUnder } from '../helpers/import-scanner';

describe('parseClientFrame', () => {
  test.each([
    ['{not json', true], ['[]', true], ['null', true], ['"say"', true], ['{}', true], ['{"type":"dance"}', true],
    ['{"type":"say"}', false], ['{"type":"say","text":"   "}', false], ['{"type":"say","text":"x","nonce":5}', false],
    ['{"type":"like","count":0}', false], ['{"type":"like","count":51}', false], ['{"type":"like","count":1.5}', false],
    ['{"type":"auth"}', false],
  ])('%s is refused (counts as a bad frame: %s)', (raw, isBad) => {
    const r = parseClientFrame(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.bad).toBe(isBad);
  });

  test('say is trimmed and flattened to one line; like and auth pass through', () => {
    expect(parseClientFrame('{"type":"say","text":"  a\\n\\tb  ","nonce":"n"}')).toEqual({ ok: true, frame: { type: 'say', text: 'a b', nonce: 'n' } });
    expect(parseClientFrame('{"type":"like","count":50}')).toEqual({ ok: true, frame: { type: 'like', count: 50 } });
    expect(parseClientFrame('{"type":"auth","token":"t.s"}')).toEqual({ ok: true, frame: { type: 'auth', token: 't.s' } });
  });
});

test('SendRateLimiter: burst, then one per second; full buckets are forgotten', () => {
  let now = 0;
  const limiter = new SendRateLimiter({ perSecond: 1, burst: 5 }, () => now);
  for (let i = 0; i < 5; i++) expect(limiter.take('k')).toBe(0);
  expect(limiter.take('k')).toBe(1000);
  now = 500;
  expect(limiter.take('k')).toBe(500);
  now = 1000;
  expect(limiter.take('k')).toBe(0);
  expect(limiter.take('other')).toBe(0);
  now = 1_000_000;
  for (let i = 0; i < 1000; i++) limiter.take(`u${i}`);
  expect(limiter.size).toBeLessThanOrEqual(1000);
});

test('message ids sort in the order they were made, even within one millisecond or with the clock stepping back', () => {
  const ids = [newMessageId(2_000_000_000_000), newMessageId(2_000_000_000_000), newMessageId(1_999_999_999_000), newMessageId(2_000_000_000_001)];
  for (const id of ids) expect(id).toMatch(MESSAGE_ID_PATTERN);
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});

test('Throttle: leading run, then at most one trailing run per interval', async () => {
  let runs = 0;
  const t = new Throttle(100, () => { runs++; });
  for (let i = 0; i < 10; i++) t.poke();
  expect(runs).toBe(1);
  await new Promise((r) => setTimeout(r, 150));
  expect(runs).toBe(2);
  t.poke();
  t.flush();
  expect(runs).toBe(3);
  t.cancel();
});

test('server/chat imports neither an HTTP framework nor the socket library', () => {
  const dir = join(__dirname, '..', '..', 'server', 'chat');
  const offenders = tsFilesUnder(dir).flatMap((f) => {
    const { specifiers, computed } = scanImports(readFileSync(f, 'utf8'), f);
    return [...specifiers.filter((s) => isOneOf(s, ['koa', '@koa', 'ws', 'node:http', 'node:net'])), ...computed]
      .map((s) => `${relative(dir, f)}: ${s}`);
  });
  expect(offenders).toEqual([]);
});
