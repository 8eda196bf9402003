// The chat feed: history and live messages merged by id (a reconnect's history never duplicates), the
// sender's echo replacing its pending line by nonce, deletions, refusals dropping the oldest pending line.
import type { ChatMessage } from '../../../typings/chat';
import { ChatFeed } from '../../../miniprogram/lib/chat-feed';

const msg = (n: number, user = 'u1'): ChatMessage => ({
  id: `m${String(n).padStart(4, '0')}`, user: { id: user, nickname: `nick-${user}` }, text: `text ${n}`, at: '2026-12-02T12:00:00.000Z',
});
const ids = (f: ChatFeed) => f.lines().map((l) => l.id);

test('history then a reconnect\'s overlapping history: each message once, in id order', () => {
  const f = new ChatFeed(100);
  f.history([msg(1), msg(2), msg(3)], null);
  f.message({ type: 'message', ...msg(4) }, null);
  f.history([msg(2), msg(3), msg(4), msg(5)], null);
  expect(ids(f)).toEqual(['m0001', 'm0002', 'm0003', 'm0004', 'm0005']);
  expect(f.message({ type: 'message', ...msg(5) }, null)).toBe(false);
  expect(ids(f)).toHaveLength(5);
});

test('a pending line is replaced by its echo (matched by nonce), not doubled', () => {
  const f = new ChatFeed(100);
  f.addPending('n-1', 'hello', { id: 'me', nickname: 'Me' });
  expect(f.lines()).toEqual([expect.objectContaining({ text: 'hello', pending: true, mine: true })]);
  f.message({ type: 'message', ...msg(7, 'me'), text: 'hello', nonce: 'n-1' }, 'me');
  expect(f.lines()).toEqual([expect.objectContaining({ id: 'm0007', pending: false, mine: true })]);
  // the same message again in a later hello's history
  f.history([msg(7, 'me')], 'me');
  expect(ids(f)).toEqual(['m0007']);
});

test('deleted removes a line; dropOldestPending takes the refused send away; the feed keeps the newest `max`', () => {
  const f = new ChatFeed(3);
  f.history([msg(1), msg(2)], null);
  f.deleted('m0001');
  expect(ids(f)).toEqual(['m0002']);
  f.addPending('a', 'first', null);
  f.addPending('b', 'second', null);
  expect(f.dropOldestPending()).toBe('first');
  expect(f.lines().map((l) => l.text)).toEqual(['text 2', 'second']);
  f.history([msg(3), msg(4), msg(5)], null);
  expect(ids(f)).toEqual(['m0004', 'm0005', 'pending:b']);
});
