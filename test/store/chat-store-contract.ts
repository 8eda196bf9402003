// The ChatStore contract: every implementation (SQLite, CloudBase, …) must pass this suite, through the port only.
import type { ChatStore, MessageRecord } from '../../server/store/chat-store';

export interface OpenedChatStore {
  store: ChatStore;
  /** a second, independent handle on the same data (another node) */
  second: () => Promise<ChatStore>;
  close: () => Promise<void>;
}

let seq = 0;
/** A message with a unique, time-sortable id (fixed-width base-36 time + sequence). */
export function message(roomId: string, over: Partial<MessageRecord> = {}): MessageRecord {
  seq += 1;
  const at = 1_800_000_000_000 + seq;
  return { id: `${at.toString(36)}${String(seq).padStart(6, '0')}`, roomId, userId: 'u1', nickname: 'Ann', text: `hello ${seq}`, at, ...over };
}

export function runChatStoreContract(name: string, open: () => Promise<OpenedChatStore>): void {
  describe(`ChatStore contract: ${name}`, () => {
    let opened: OpenedChatStore;
    let store: ChatStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => { await opened.close(); });

    test('messages come back newest first, as stored (unicode kept), per room', async () => {
      const a = [message('roomA', { text: '你好 👋 <b>' }), message('roomA'), message('roomA')];
      const b = message('roomB');
      for (const m of [...a, b]) await store.addMessage(m);
      expect(await store.listMessages('roomA', { limit: 10 })).toEqual([...a].reverse());
      expect(await store.listMessages('roomB', { limit: 10 })).toEqual([b]);
      expect(await store.listMessages('nobody', { limit: 10 })).toEqual([]);
    });

    test('paging with `before` visits every message once, newest first, within the limit', async () => {
      const all = Array.from({ length: 7 }, () => message('roomP'));
      for (const m of all) await store.addMessage(m);
      const seen: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await store.listMessages('roomP', { before, limit: 3 });
        expect(page.length).toBeLessThanOrEqual(3);
        if (page.length === 0) break;
        seen.push(...page.map((m) => m.id));
        before = page[page.length - 1]!.id;
      }
      expect(seen).toEqual(all.map((m) => m.id).reverse());
    });

    test('deleteMessage removes one message of that room only, once', async () => {
      const m = message('roomD');
      const keep = message('roomD');
      await store.addMessage(m);
      await store.addMessage(keep);
      expect(await store.deleteMessage('otherRoom', m.id)).toBe(false);
      expect(await store.deleteMessage('roomD', m.id)).toBe(true);
      expect(await store.deleteMessage('roomD', m.id)).toBe(false);
      expect((await store.listMessages('roomD', { limit: 10 })).map((x) => x.id)).toEqual([keep.id]);
    });

    test('like totals: start at 0, add up, per room', async () => {
      expect(await store.likes('roomL')).toBe(0);
      expect(await store.addLikes('roomL', 5)).toBe(5);
      expect(await store.addLikes('roomL', 50)).toBe(55);
      expect(await store.addLikes('roomM', 1)).toBe(1);
      expect(await store.likes('roomL')).toBe(55);
    });

    test('two handles adding likes at once lose nothing', async () => {
      const other = await opened.second();
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).addLikes('roomR', 3)));
      expect(await store.likes('roomR')).toBe(30);
      expect(await other.likes('roomR')).toBe(30);
    });

    test('mutes: none, then until a time, replaced by a later mute, per room and user', async () => {
      expect(await store.restrictions('roomX', 'u1')).toEqual({ mutedUntil: null, roomBan: false, userBan: false });
      await store.setMute('roomX', 'u1', 1_000);
      await store.setMute('roomX', 'u1', 2_000);
      expect((await store.restrictions('roomX', 'u1')).mutedUntil).toBe(2_000);
      expect((await store.restrictions('roomX', 'u2')).mutedUntil).toBeNull();
      expect((await store.restrictions('roomY', 'u1')).mutedUntil).toBeNull();
    });

    test('room bans hold in that room only; a second ban changes nothing', async () => {
      await store.addRoomBan('roomX', 'u1', 5);
      await store.addRoomBan('roomX', 'u1', 6);
      expect(await store.restrictions('roomX', 'u1')).toEqual({ mutedUntil: null, roomBan: true, userBan: false });
      expect((await store.restrictions('roomY', 'u1')).roomBan).toBe(false);
    });

    test('room chat settings: null until set, then the last set', async () => {
      expect(await store.settings('roomS')).toBeNull();
      await store.setSettings('roomS', { slowModeS: 10, closed: false });
      await store.setSettings('roomS', { slowModeS: 0, closed: true });
      expect(await store.settings('roomS')).toEqual({ slowModeS: 0, closed: true });
      expect(await store.settings('roomT')).toBeNull();
    });

    test('global bans: ban, seen in every room, listed newest first, undone once', async () => {
      expect(await store.bannedUsers()).toEqual([]);
      await store.banUser('u1', 100);
      await store.banUser('u2', 200);
      await store.banUser('u1', 300); // again: keeps the first time
      expect(await store.isUserBanned('u1')).toBe(true);
      expect((await store.restrictions('anyRoom', 'u1')).userBan).toBe(true);
      expect(await store.bannedUsers()).toEqual([{ userId: 'u2', at: 200 }, { userId: 'u1', at: 100 }]);
      expect(await store.unbanUser('u1')).toBe(true);
      expect(await store.unbanUser('u1')).toBe(false);
      expect(await store.isUserBanned('u1')).toBe(false);
      expect(await store.bannedUsers()).toEqual([{ userId: 'u2', at: 200 }]);
    });

    test('nicknames: null until set, then the last one, seen by a second handle', async () => {
      expect(await store.nickname('u9')).toBeNull();
      await store.setNickname('u9', 'Ann');
      await store.setNickname('u9', '小明 🎉');
      expect(await store.nickname('u9')).toBe('小明 🎉');
      expect(await (await opened.second()).nickname('u9')).toBe('小明 🎉');
    });

    test('deleteRoom forgets the room\'s mutes, bans and settings, not global bans or nicknames', async () => {
      await store.setMute('gone', 'u1', 9_000);
      await store.addRoomBan('gone', 'u2', 1);
      await store.setSettings('gone', { slowModeS: 5, closed: true });
      await store.setMute('kept', 'u1', 9_000);
      await store.banUser('u3', 1);
      await store.setNickname('u1', 'Ann');
      await store.deleteRoom('gone');
      expect(await store.restrictions('gone', 'u1')).toEqual({ mutedUntil: null, roomBan: false, userBan: false });
      expect((await store.restrictions('gone', 'u2')).roomBan).toBe(false);
      expect(await store.settings('gone')).toBeNull();
      expect((await store.restrictions('kept', 'u1')).mutedUntil).toBe(9_000);
      expect(await store.isUserBanned('u3')).toBe(true);
      expect(await store.nickname('u1')).toBe('Ann');
    });

    test('deleteRoom forgets the room\'s messages and likes, and nothing of other rooms', async () => {
      for (let i = 0; i < 3; i++) await store.addMessage(message('gone'));
      const kept = message('kept');
      await store.addMessage(kept);
      await store.addLikes('gone', 7);
      await store.addLikes('kept', 2);
      await store.deleteRoom('gone');
      expect(await store.listMessages('gone', { limit: 10 })).toEqual([]);
      expect(await store.likes('gone')).toBe(0);
      expect(await store.listMessages('kept', { limit: 10 })).toEqual([kept]);
      expect(await store.likes('kept')).toBe(2);
      await store.deleteRoom('never-existed');
    });
  });
}
