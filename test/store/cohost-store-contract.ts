// The CohostStore contract: every implementation (SQLite, CloudBase) must pass this suite, through the port only.
import type { CohostGuestRecord, CohostStore } from '../../server/store/cohost-store';
import type { StoreHandles } from './store-handles';

const guest = (roomId: string, slot: CohostGuestRecord['slot'], userId: string, generation = 1): CohostGuestRecord => ({
  roomId, slot, userId, nickname: `nick ${userId}`, generation, acceptedAt: 1_800_000_000_000,
});

export function runCohostStoreContract(name: string, open: () => Promise<StoreHandles<CohostStore>>): void {
  describe(`CohostStore contract: ${name}`, () => {
    let opened: StoreHandles<CohostStore>;
    let store: CohostStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => { await opened.close(); });

    test('requests: oldest first, per room, a fresh one keeps its place, a stale one is replaced, old ones not listed', async () => {
      expect(await store.addRequest({ roomId: 'r1', userId: 'u2', nickname: 'B', at: 2000 }, 0)).toBe(true);
      expect(await store.addRequest({ roomId: 'r1', userId: 'u1', nickname: 'A', at: 1000 }, 0)).toBe(true);
      expect(await store.addRequest({ roomId: 'r2', userId: 'u1', nickname: 'A', at: 1500 }, 0)).toBe(true);
      // u1 asks again while its request is fresh (stale only before 500): nothing changes
      expect(await store.addRequest({ roomId: 'r1', userId: 'u1', nickname: 'A2', at: 3000 }, 500)).toBe(false);
      expect(await store.requests('r1', 0)).toEqual([
        { roomId: 'r1', userId: 'u1', nickname: 'A', at: 1000 }, { roomId: 'r1', userId: 'u2', nickname: 'B', at: 2000 },
      ]);
      expect((await store.requests('r1', 1500)).map((r) => r.userId)).toEqual(['u2']);
      // stale before 1200: u1's request of 1000 is replaced and goes to the back
      expect(await store.addRequest({ roomId: 'r1', userId: 'u1', nickname: 'A2', at: 3000 }, 1200)).toBe(true);
      expect((await store.requests('r1', 0)).map((r) => [r.userId, r.nickname])).toEqual([['u2', 'B'], ['u1', 'A2']]);
    });

    test('takeRequest: a fresh request once; a stale one is removed but not given; on two handles only one wins', async () => {
      await store.addRequest({ roomId: 'r1', userId: 'u1', nickname: 'A', at: 1000 }, 0);
      await store.addRequest({ roomId: 'r1', userId: 'u2', nickname: 'B', at: 1000 }, 0);
      expect(await store.takeRequest('r1', 'u1', 2000)).toBeNull();
      expect(await store.requests('r1', 0)).toHaveLength(1);
      const other = await opened.second();
      const both = await Promise.all([store.takeRequest('r1', 'u2', 0), other.takeRequest('r1', 'u2', 0)]);
      expect(both.filter((x) => x !== null)).toEqual([{ roomId: 'r1', userId: 'u2', nickname: 'B', at: 1000 }]);
      expect(await store.takeRequest('r1', 'u2', 0)).toBeNull();
      expect(await store.requests('r1', 0)).toEqual([]);
    });

    test('line-up: slot order, a taken slot or a user already on it refused, removal once, per room', async () => {
      expect(await store.addGuest(guest('r1', 'g2', 'u2'))).toBe(true);
      expect(await store.addGuest(guest('r1', 'g1', 'u1', 7))).toBe(true);
      expect(await store.addGuest(guest('r1', 'g1', 'u3'))).toBe(false);
      expect(await store.addGuest(guest('r1', 'g3', 'u1'))).toBe(false);
      expect(await store.addGuest(guest('r2', 'g1', 'u3'))).toBe(true);
      expect(await store.guests('r1')).toEqual([guest('r1', 'g1', 'u1', 7), guest('r1', 'g2', 'u2')]);
      expect(await store.removeGuest('r1', 'u1')).toEqual(guest('r1', 'g1', 'u1', 7));
      expect(await store.removeGuest('r1', 'u1')).toBeNull();
      expect(await store.removeGuest('r1', 'u3')).toBeNull();
      expect((await store.guests('r1')).map((g) => g.slot)).toEqual(['g2']);
      expect(await store.addGuest(guest('r1', 'g1', 'u3'))).toBe(true);
      const other = await opened.second();
      expect((await other.guests('r1')).map((g) => g.userId)).toEqual(['u3', 'u2']);
    });

    test('deleteRoom forgets that room\'s requests and line-up only', async () => {
      await store.addRequest({ roomId: 'r1', userId: 'u1', nickname: 'A', at: 1000 }, 0);
      await store.addRequest({ roomId: 'r2', userId: 'u1', nickname: 'A', at: 1000 }, 0);
      await store.addGuest(guest('r1', 'g1', 'u2'));
      await store.addGuest(guest('r2', 'g1', 'u2'));
      await store.deleteRoom('r1');
      expect(await store.requests('r1', 0)).toEqual([]);
      expect(await store.guests('r1')).toEqual([]);
      expect(await store.requests('r2', 0)).toHaveLength(1);
      expect(await store.guests('r2')).toHaveLength(1);
    });
  });
}
