// GuestStreams (issue 15) over a fake GuestPublishCheck and a fake hub: what a guest publish is asked, one
// publisher per slot, a vacated slot disconnected at once, a slot missing from the line-up disconnected by the
// re-check within a second, the room's end ending every guest. (The real check and ffmpeg: test/media/e2e/cohost-media.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { CohostGuest, GuestSlot } from '../../../typings/cohost';
import { GuestStreams } from '../../../server/media/embedded/guest-streams';
import { RoomMediaTable } from '../../../server/media/embedded/room-media-table';
import type { GuestPublishCheck } from '../../../server/rooms/cohosts/guest-publish';
import type { StreamRequest } from '../../../server/media/rtmp/types';
import { until } from '../../helpers/wait';

const ROOM = 'AAAAAAAAAAAA';
const user = (id: string) => ({ id, nickname: id });

/** The co-hosting side as the media sees it: tickets are `?t=<slot>`, the line-up is set by the test. */
class FakeCheck implements GuestPublishCheck {
  lineupNow: CohostGuest[] = [];
  refuseAdmit: string | null = null;
  lineupCalls = 0;
  private listener: ((roomId: string, slots: GuestSlot[]) => void) | null = null;
  verify(_roomId: string, slot: GuestSlot, query: Record<string, unknown>): string | null {
    return query.t === slot ? null : 'bad_signature';
  }
  async admit(): Promise<string | null> {
    return this.refuseAdmit;
  }
  onSlotsVacated(listener: (roomId: string, slots: GuestSlot[]) => void): void {
    this.listener = listener;
  }
  async lineup(): Promise<CohostGuest[]> {
    this.lineupCalls++;
    return this.lineupNow;
  }
  vacate(slots: GuestSlot[]): void {
    this.listener?.(ROOM, slots);
  }
}

const NO_HUB = { subscribe: () => () => undefined };
const NO_RTMP = { publisher: () => null, rtmpViewers: () => 0 };
const req = (slot: GuestSlot, sessionId: string): StreamRequest & { slot: GuestSlot } =>
  ({ sessionId, roomId: ROOM, slot, query: { t: slot }, address: '127.0.0.1' });

let root: string;
let streams: GuestStreams | null = null;
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'wxlive-guests-')); });
afterEach(() => {
  streams?.stop();
  rmSync(root, { recursive: true, force: true });
});

function setup(check: FakeCheck | undefined) {
  const media = new RoomMediaTable({ hub: NO_HUB, flv: { mergeMs: 0, maxBufferedBytes: 1 << 20, onSlow: () => {} } }, NO_RTMP);
  const disconnected: string[] = [];
  streams = new GuestStreams({
    check, media, disconnect: (key) => disconnected.push(key), hold: () => undefined, root, log: pino({ level: 'silent' }),
    hls: { fragmentS: 2, playlistLengthS: 10, maxSegmentBytes: 1 << 20 },
  });
  return { media, disconnected, streams };
}

test('without co-hosting a guest publish is refused; a ticket for another slot fails the sync check', async () => {
  const none = setup(undefined).streams;
  expect(none.checkPublish(req('g1', 's1'))).toBe('cohosts_unavailable');
  expect(await none.admitPublish(req('g1', 's1'))).toBe('cohosts_unavailable');
  const { streams: s } = setup(new FakeCheck());
  expect(s.checkPublish(req('g1', 's1'))).toBeNull();
  expect(s.checkPublish({ ...req('g2', 's1'), query: { t: 'g1' } })).toBe('bad_signature');
});

test('the async check decides; one publisher per slot, other slots independent', async () => {
  const check = new FakeCheck();
  const { media, streams: s } = setup(check);
  check.refuseAdmit = 'not_cohost';
  expect(await s.admitPublish(req('g1', 's1'))).toBe('not_cohost');
  expect(media.find(ROOM)?.findGuest('g1')?.publisher ?? null).toBeNull();
  check.refuseAdmit = null;
  expect(await s.admitPublish(req('g1', 's1'))).toBeNull();
  expect(s.checkPublish(req('g1', 's2'))).toBe('already_publishing');
  expect(await s.admitPublish(req('g1', 's2'))).toBe('already_publishing');
  expect(await s.admitPublish(req('g2', 's3'))).toBeNull();
  expect(media.get(ROOM).guestPublishers().sort()).toEqual(['g1', 'g2']);
  // the room's own publisher is untouched by guests
  expect(media.get(ROOM).publisher).toBeNull();
  s.publishStopped(req('g1', 's1'));
  expect(media.get(ROOM).guestPublishers()).toEqual(['g2']);
  expect(await s.admitPublish(req('g1', 's2'))).toBeNull();
});

test('a vacated slot with a publisher is disconnected at once; one without is left alone', async () => {
  const check = new FakeCheck();
  const { disconnected, streams: s } = setup(check);
  await s.admitPublish(req('g2', 's1'));
  check.vacate(['g1', 'g2']);
  expect(disconnected).toEqual([`${ROOM}~g2`]);
});

test('the re-check disconnects, within a second, a guest the line-up no longer holds (a missed event)', async () => {
  const check = new FakeCheck();
  const { disconnected, streams: s } = setup(check);
  check.lineupNow = [{ slot: 'g1', user: user('u1') }, { slot: 'g3', user: user('u3') }];
  await s.start();
  await s.admitPublish(req('g1', 's1'));
  await s.admitPublish(req('g3', 's3'));
  await until(() => check.lineupCalls >= 2, 3000, 'two re-checks');
  expect(disconnected).toEqual([]);
  check.lineupNow = [{ slot: 'g1', user: user('u1') }];
  const t0 = Date.now();
  await until(() => disconnected.length > 0, 3000, 'the re-check to disconnect g3');
  expect(Date.now() - t0).toBeLessThanOrEqual(1500);
  expect(disconnected).toEqual([`${ROOM}~g3`]);
});

test('the room ending ends every guest and disconnects each slot', async () => {
  const check = new FakeCheck();
  const { media, disconnected, streams: s } = setup(check);
  await s.admitPublish(req('g1', 's1'));
  await s.admitPublish(req('g2', 's2'));
  s.roomEnded(ROOM);
  expect(media.get(ROOM).guestPublishers()).toEqual([]);
  expect(disconnected.sort()).toEqual([`${ROOM}~g1`, `${ROOM}~g2`, `${ROOM}~g3`]);
});
