// ChatStore on the CloudBase document database, shared by every API node: messages in `<prefix>messages`
// (the message id is the _id), like totals in `<prefix>room_likes` (the room id is the _id, `$inc` applied by
// the database so two nodes adding at once lose nothing).
import { init } from '@cloudbase/node-sdk';
import type { Logger } from 'pino';
import type { ChatStore, MessagePageQuery, MessageRecord } from '../chat-store';
import { sdkErrorCode, toStoreUnavailable } from './cloudbase-failure';
import { DEFAULT_TIMEOUT_MS } from './cloudbase-room-store';

export interface CloudbaseChatStoreOptions {
  env: string;
  secretId: string;
  secretKey: string;
  serviceUrl?: string;
  /** put before the collection names (default none: `messages`, `room_likes`) */
  prefix?: string;
  timeoutMs?: number;
  log: Logger;
}

type Db = ReturnType<ReturnType<typeof init>['database']>;
type MessageDocument = Omit<MessageRecord, 'id'> & { _id: string };

const fromDocument = (d: MessageDocument): MessageRecord => ({
  id: d._id, roomId: d.roomId, userId: d.userId, nickname: d.nickname, text: d.text, at: d.at,
});

/** the service answers at most 1000 documents per list */
const PAGE_MAX = 1000;

export class CloudbaseChatStore implements ChatStore {
  private readonly db: Db;
  private readonly messagesName: string;
  private readonly likesName: string;
  private readonly log: Logger;

  constructor(opts: CloudbaseChatStoreOptions) {
    const prefix = opts.prefix ?? '';
    this.messagesName = `${prefix}messages`;
    this.likesName = `${prefix}room_likes`;
    this.log = opts.log;
    this.db = init({
      env: opts.env, secretId: opts.secretId, secretKey: opts.secretKey, timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(opts.serviceUrl ? { serviceUrl: opts.serviceUrl } : {}),
    }).database();
  }

  private get messages() { return this.db.collection(this.messagesName); }
  private get likeTotals() { return this.db.collection(this.likesName); }

  /** One SDK call; failures become a logged 503; a missing collection is created once and the call retried. */
  private async call<T>(op: string, collection: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (sdkErrorCode(err) !== 'DATABASE_COLLECTION_NOT_EXIST') throw toStoreUnavailable(err, op, this.log);
    }
    try {
      await this.db.createCollection(collection).catch((err: unknown) => {
        if (!/ALREADY_EXIST/.test(sdkErrorCode(err) ?? '')) throw err;
      });
      return await fn();
    } catch (err) {
      throw toStoreUnavailable(err, op, this.log);
    }
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

  async deleteRoom(roomId: string): Promise<void> {
    await this.call('deleteRoom', this.messagesName, () => this.messages.where({ roomId }).remove());
    await this.call('deleteRoom', this.likesName, () => this.likeTotals.where({ _id: roomId }).remove());
  }

  async close(): Promise<void> {
    // nothing to close: the SDK's keep-alive sockets time out on their own
  }
}
