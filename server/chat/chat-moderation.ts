// Moderation of room chats (issue 13): the host of a room or the admin deletes messages, mutes, bans and sets
// the room's chat settings; the admin bans users everywhere. Changes go to the store first, then to every
// node's sockets through the RoomBus (deleted, settings, banned → close 4001).
import type { ChatSettings } from '../../typings/chat';
import { DomainError, Forbidden, RoomNotFound } from '../errors';
import type { Actor } from '../rooms/ports';
import type { ChatStore, UserBanRecord } from '../store/chat-store';
import type { ChatCohosts, ChatRooms } from './ports';
import type { RoomBus } from './room-bus';

export interface ChatModerationDeps {
  rooms: Pick<ChatRooms, 'find'>;
  store: ChatStore;
  bus: RoomBus;
  /** rooms with sockets on this node: a global ban closes the user's sockets there at once */
  localRooms: () => Iterable<string>;
  now: () => number;
  /** co-hosting: a banned user's request is dropped and, on the line-up, it is taken off (its publisher disconnected) */
  cohosts?: Pick<ChatCohosts, 'leave'>;
}

export class MessageNotFound extends DomainError {
  constructor(id: string) { super('not_found', 'message_not_found', `No message with id "${id}" in this room.`); }
}

export class ChatModeration {
  constructor(private readonly deps: ChatModerationDeps) {}

  /** Throws RoomNotFound, or Forbidden unless `actor` is the admin or the room's host. */
  async authorize(roomId: string, actor: Actor): Promise<void> {
    const room = await this.deps.rooms.find(roomId);
    if (!room) throw new RoomNotFound(roomId);
    if (actor.kind === 'admin' || actor.userId === room.hostId) return;
    throw new Forbidden('Only the host of this room or the admin may moderate its chat.', 'not_room_host');
  }

  async deleteMessage(roomId: string, id: string, actor: Actor): Promise<void> {
    await this.authorize(roomId, actor);
    if (!await this.deps.store.deleteMessage(roomId, id)) throw new MessageNotFound(id);
    await this.deps.bus.publish(roomId, { kind: 'deleted', id });
  }

  /** The mute's end (epoch ms). */
  async mute(roomId: string, userId: string, minutes: number, actor: Actor): Promise<number> {
    await this.authorize(roomId, actor);
    const until = this.deps.now() + minutes * 60_000;
    await this.deps.store.setMute(roomId, userId, until);
    return until;
  }

  async ban(roomId: string, userId: string, actor: Actor): Promise<void> {
    await this.authorize(roomId, actor);
    await this.deps.store.addRoomBan(roomId, userId, this.deps.now());
    await this.deps.bus.publish(roomId, { kind: 'banned', userId });
    await this.deps.cohosts?.leave(roomId, userId);
  }

  async setSettings(roomId: string, settings: ChatSettings, actor: Actor): Promise<ChatSettings> {
    await this.authorize(roomId, actor);
    const s = { slowModeS: settings.slowModeS, closed: settings.closed };
    await this.deps.store.setSettings(roomId, s);
    await this.deps.bus.publish(roomId, { kind: 'settings', settings: s });
    return s;
  }

  /** Admin only (the route checks): banned in every room; other nodes refuse the user's next message from the store. */
  async banUser(userId: string): Promise<UserBanRecord> {
    await this.deps.store.banUser(userId, this.deps.now());
    for (const roomId of [...this.deps.localRooms()]) {
      await this.deps.bus.publish(roomId, { kind: 'banned', userId });
      await this.deps.cohosts?.leave(roomId, userId);
    }
    const ban = (await this.deps.store.bannedUsers()).find((b) => b.userId === userId);
    return ban ?? { userId, at: this.deps.now() };
  }

  /** false when the user was not banned */
  unbanUser(userId: string): Promise<boolean> {
    return this.deps.store.unbanUser(userId);
  }

  bannedUsers(): Promise<UserBanRecord[]> {
    return this.deps.store.bannedUsers();
  }

  /** Throws Forbidden when the user is banned everywhere (sign-in, room creation). */
  async assertNotBanned(userId: string): Promise<void> {
    if (await this.deps.store.isUserBanned(userId)) {
      throw new Forbidden('This account is banned.', 'user_banned');
    }
  }
}
