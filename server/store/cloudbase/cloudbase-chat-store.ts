// ChatStore on the CloudBase document database, shared by every API node: messages in `<prefix>messages`
// (the message id is the _id), like totals in `<prefix>room_likes` (the room id is the _id, `$inc` applied by
// the database so two nodes adding at once lose nothing). Moderation: `<prefix>chat_mutes` / `<prefix>chat_bans`
// (_id `roomId/userId`), `<prefix>chat_settings` (_id the room), `<prefix>user_bans` and `<prefix>user_profiles`
// (_id the user).
import type { Logger } from 'pino';
import type { ChatSettingsRecord, ChatStore, MessagePageQuery, MessageRecord, Restrictions, UserBanRecord } from '../chat-store';
import { cloudbaseCall, openCloudbaseDb, type CloudbaseConnection, type CloudbaseDb } from './cloudbase-db';

export interface CloudbaseChatStoreOptions extends CloudbaseConnection {
  /** put before the collection names (default none: `messages`, `room_likes`) */
  prefix?: string;
}

type MessageDocument = Omit<MessageRecord, 'id'> & { _id: string };

const fromDocument = (d: MessageDocument): MessageRecord => ({
  id: d._id, roomId: d.roomId, userId: d.userId, nickname: d.nickname, text: d.text, at: d.at,
});

/** the service answers at most 1000 documents per list */
const PAGE_MAX = 1000;

export class CloudbaseChatStore implements ChatStore {
  private readonly db: CloudbaseDb;
  private readonly messagesName: string;
  private readonly likesName: string;
  private readonly names: Record<'mutes' | 'bans' | 'settings' | 'userBans' | 'profiles', string>;
  private readonly log: Logger;

  constructor(opts: CloudbaseChatStoreOptions) {
    const prefix = opts.prefix ?? '';
    this.messagesName = `${prefix}messages`;
    this.likesName = `${prefix}room_likes`;
    this.names = {
      mutes: `${prefix}chat_mutes`, bans: `${prefix}chat_bans`, settings: `${prefix}chat_settings`,
      userBans: `${prefix}user_bans`, profiles: `${prefix}user_profiles`,
    };
    this.log = opts.log;
    this.db = openCloudbaseDb(opts);
  }

  private get messages() { return this.db.collection(this.messagesName); }
  private get likeTotals() { return this.db.collection(this.likesName); }

  /** One SDK call; failures become a logged 503; a missing collection is created once and the call retried. */
  private call<T>(op: string, collection: string, fn: () => Promise<T>): Promise<T> {
    return cloudbaseCall(this.db, this.log, op, collection, fn);
  }

  async addMessage(m: MessageRecord): Promise<void> {
    const { id, ...rest } = m;
    await this.call('addMessage', this.messagesName, () => this.messages.add({ _id: id, ...rest }));
  }

  async listMessages(roomId: string, q: MessagePageQuery): Promise<MessageRecord[]> {
    const _ = this.db.command;
    const where = q.before === undefined ? { roomId } : { roomId, _id: _.lt(q.before) };
    const res = await this.call('listMessages', this.messagesName, () =>
      this.messages.where(where).orderBy('_id', 'desc').limit(Math.min(q.limit, PAGE_MAX)).get());
    return (res.data as MessageDocument[]).map(fromDocument);
  }

  async deleteMessage(roomId: string, id: string): Promise<boolean> {
    const res = await this.call('deleteMessage', this.messagesName, () => this.messages.where({ _id: id, roomId }).remove());
    return ((res as { deleted?: number }).deleted ?? 0) > 0;
  }

  async addLikes(roomId: string, count: number): Promise<number> {
    const _ = this.db.command;
    const bump = () => this.call('addLikes', this.likesName, () => this.likeTotals.where({ _id: roomId }).update({ total: _.inc(count) }));
    if (((await bump()).updated ?? 0) === 0) {
      const added = await this.call('addLikes', this.likesName, async () => {
        try {
          await this.likeTotals.add({ _id: roomId, total: count });
          return true;
        } catch (err) {
          if (/E11000|duplicate key/i.test(String((err as { message?: unknown }).message))) return false;
          throw err;
        }
      });
      // another node created the total a moment ago: add to it instead
      if (!added) await bump();
    }
    return this.likes(roomId);
  }

  async likes(roomId: string): Promise<number> {
    const res = await this.call('likes', this.likesName, () => this.likeTotals.doc(roomId).get());
    const doc = (res.data as { total?: unknown }[] | undefined)?.[0];
    return typeof doc?.total === 'number' ? doc.total : 0;
  }

  /** The document `id` of a collection, or undefined. */
  private async getDoc<T>(op: string, name: keyof CloudbaseChatStore['names'], id: string): Promise<T | undefined> {
    const res = await this.call(op, this.names[name], () => this.db.collection(this.names[name]).doc(id).get());
    return (res.data as T[] | undefined)?.[0];
  }

  /** Creates or replaces the document `id` (doc().set() upserts). */
  private async putDoc(op: string, name: keyof CloudbaseChatStore['names'], id: string, data: Record<string, unknown>): Promise<void> {
    await this.call(op, this.names[name], () => this.db.collection(this.names[name]).doc(id).set(data));
  }

  async setMute(roomId: string, userId: string, until: number): Promise<void> {
    await this.putDoc('setMute', 'mutes', `${roomId}/${userId}`, { roomId, userId, until });
  }

  async addRoomBan(roomId: string, userId: string, at: number): Promise<void> {
    if (await this.getDoc('addRoomBan', 'bans', `${roomId}/${userId}`)) return;
    await this.putDoc('addRoomBan', 'bans', `${roomId}/${userId}`, { roomId, userId, at });
  }

  async restrictions(roomId: string, userId: string): Promise<Restrictions> {
    const key = `${roomId}/${userId}`;
    const [mute, ban, userBan] = await Promise.all([
      this.getDoc<{ until?: unknown }>('restrictions', 'mutes', key),
      this.getDoc('restrictions', 'bans', key),
      this.getDoc('restrictions', 'userBans', userId),
    ]);
    return { mutedUntil: typeof mute?.until === 'number' ? mute.until : null, roomBan: ban !== undefined, userBan: userBan !== undefined };
  }

  async setSettings(roomId: string, s: ChatSettingsRecord): Promise<void> {
    await this.putDoc('setSettings', 'settings', roomId, { slowModeS: s.slowModeS, closed: s.closed });
  }

  async settings(roomId: string): Promise<ChatSettingsRecord | null> {
    const d = await this.getDoc<{ slowModeS?: unknown; closed?: unknown }>('settings', 'settings', roomId);
    return d ? { slowModeS: Number(d.slowModeS) || 0, closed: d.closed === true } : null;
  }

  async banUser(userId: string, at: number): Promise<void> {
    if (await this.getDoc('banUser', 'userBans', userId)) return;
    await this.putDoc('banUser', 'userBans', userId, { at });
  }

  async unbanUser(userId: string): Promise<boolean> {
    const res = await this.call('unbanUser', this.names.userBans, () => this.db.collection(this.names.userBans).where({ _id: userId }).remove());
    return ((res as { deleted?: number }).deleted ?? 0) > 0;
  }

  async isUserBanned(userId: string): Promise<boolean> {
    return (await this.getDoc('isUserBanned', 'userBans', userId)) !== undefined;
  }

  async bannedUsers(): Promise<UserBanRecord[]> {
    const res = await this.call('bannedUsers', this.names.userBans, () =>
      this.db.collection(this.names.userBans).where({}).orderBy('at', 'desc').limit(PAGE_MAX).get());
    return (res.data as { _id: string; at: number }[]).map((d) => ({ userId: d._id, at: d.at }));
  }

  async setNickname(userId: string, nickname: string): Promise<void> {
    await this.putDoc('setNickname', 'profiles', userId, { nickname });
  }

  async nickname(userId: string): Promise<string | null> {
    const d = await this.getDoc<{ nickname?: unknown }>('nickname', 'profiles', userId);
    return typeof d?.nickname === 'string' ? d.nickname : null;
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.call('deleteRoom', this.messagesName, () => this.messages.where({ roomId }).remove());
    await this.call('deleteRoom', this.likesName, () => this.likeTotals.where({ _id: roomId }).remove());
    for (const name of [this.names.mutes, this.names.bans] as const) {
      await this.call('deleteRoom', name, () => this.db.collection(name).where({ roomId }).remove());
    }
    await this.call('deleteRoom', this.names.settings, () => this.db.collection(this.names.settings).where({ _id: roomId }).remove());
  }

  async close(): Promise<void> {
    // nothing to close: the SDK's keep-alive sockets time out on their own
  }
}
