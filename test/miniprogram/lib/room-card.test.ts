import { toRoomCard } from '../../../miniprogram/lib/room-card';
import { checkTitle } from '../../../miniprogram/lib/room-title';
import { resetLocale } from '../../../miniprogram/lib/i18n';
import { room, NOW } from '../helpers/fixtures';

// the rules are checked in English; the first test is about the Chinese default
beforeEach(() => { resetLocale('en'); });
afterAll(() => { resetLocale(); });

test('cards speak Chinese by default: 直播中, 1.2万人在看, 已直播 30:00, 尚未开始, the end time', () => {
  resetLocale();
  expect(toRoomCard(room({ id: 'Z1', viewers: 12345 }), NOW)).toMatchObject({ badge: '直播中', viewers: '1.2万人在看', note: '已直播 30:00' });
  expect(toRoomCard(room({ id: 'Z2', status: 'idle', startedAt: null }), NOW)).toMatchObject({ badge: '即将开始', note: '尚未开始' });
  const ended = toRoomCard(room({ id: 'Z3', status: 'ended' }), NOW);
  expect(ended.badge).toBe('已结束');
  // NOW on the phone's clock (the test's time zone), the same day: only the time
  const d = new Date(NOW);
  const hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  expect(ended.note).toBe(`${hhmm} 结束`);
  resetLocale('en');
  expect(toRoomCard(room({ id: 'Z3', status: 'ended' }), NOW).note).toBe(`ended ${hhmm}`);
});

test('a live room card shows the badge, viewers and how long it has been live', () => {
  expect(toRoomCard(room({ id: 'R1', title: 'T', viewers: 12, cover: 'https://c/x.jpg' }), NOW)).toEqual({
    id: 'R1', title: 'T', cover: 'https://c/x.jpg', live: true, badge: 'LIVE', viewers: '12 watching', note: 'live for 30:00',
  });
});

test('idle and ended rooms have no viewer count', () => {
  expect(toRoomCard(room({ id: 'R2', status: 'idle', startedAt: null, viewers: 4 }), NOW))
    .toMatchObject({ live: false, badge: 'Soon', viewers: '', note: 'not started yet', cover: '' });
  expect(toRoomCard(room({ id: 'R3', status: 'ended' }), NOW)).toMatchObject({ badge: 'Ended', viewers: '', note: expect.stringMatching(/^ended \d\d:\d\d$/) });
});

test('a live room without a start time says just "live"; an ended one never shows its old viewers', () => {
  expect(toRoomCard(room({ id: 'R4', startedAt: null, viewers: 3 }), NOW)).toMatchObject({ live: true, badge: 'LIVE', viewers: '3 watching', note: 'live' });
  expect(toRoomCard({ ...room({ id: 'R5', status: 'ended' }), viewers: 9 }, NOW)).toMatchObject({ live: false, viewers: '' });
  expect(toRoomCard({ ...room({ id: 'R6', status: 'ended' }), endedAt: null }, NOW).note).toBe('ended');
});

test('titles follow the server rule: 1–64 characters after trimming', () => {
  expect(checkTitle('  Hello  ')).toEqual({ ok: true, title: 'Hello' });
  expect(checkTitle('   ')).toEqual({ ok: false, error: 'Give your broadcast a title.' });
  expect(checkTitle('x'.repeat(64))).toMatchObject({ ok: true });
  expect(checkTitle('x'.repeat(65))).toEqual({ ok: false, error: 'Keep the title to 64 characters or fewer.' });
  // the length counts after trimming, and an unset input field (undefined from page data) is no title
  expect(checkTitle(` ${'x'.repeat(64)}\n`)).toEqual({ ok: true, title: 'x'.repeat(64) });
  expect(checkTitle(undefined as unknown as string)).toEqual({ ok: false, error: 'Give your broadcast a title.' });
});
