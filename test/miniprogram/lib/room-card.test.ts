import { toRoomCard } from '../../../miniprogram/lib/room-card';
import { checkTitle } from '../../../miniprogram/lib/room-title';
import { room, NOW } from '../helpers/fixtures';

test('a live room card shows the badge, viewers and how long it has been live', () => {
  expect(toRoomCard(room({ id: 'R1', title: 'T', viewers: 12, cover: 'https://c/x.jpg' }), NOW)).toEqual({
    id: 'R1', title: 'T', cover: 'https://c/x.jpg', live: true, badge: 'LIVE', viewers: '12 watching', note: 'live for 30:00',
  });
});

test('idle and ended rooms have no viewer count', () => {
  expect(toRoomCard(room({ id: 'R2', status: 'idle', startedAt: null, viewers: 4 }), NOW))
    .toMatchObject({ live: false, badge: 'Soon', viewers: '', note: 'not started yet', cover: '' });
  expect(toRoomCard(room({ id: 'R3', status: 'ended' }), NOW)).toMatchObject({ badge: 'Ended', viewers: '', note: 'ended' });
});

test('a live room without a start time says just "live"; an ended one never shows its old viewers', () => {
  expect(toRoomCard(room({ id: 'R4', startedAt: null, viewers: 3 }), NOW)).toMatchObject({ live: true, badge: 'LIVE', viewers: '3 watching', note: 'live' });
  expect(toRoomCard({ ...room({ id: 'R5', status: 'ended' }), viewers: 9 }, NOW)).toMatchObject({ live: false, viewers: '' });
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
