// Stored message ↔ the contract's ChatMessage, and the name shown for a user without a nickname.
import type { ChatMessage, ChatUser } from '../../typings/chat';
import type { MessageRecord } from '../store/chat-store';

export function toChatMessage(m: MessageRecord): ChatMessage {
  return { id: m.id, user: { id: m.userId, nickname: m.nickname }, text: m.text, at: new Date(m.at).toISOString() };
}

/** WeChat users sign in without a nickname until they set one: show a stable stand-in. */
export function chatUser(user: { id: string; nickname?: string }): ChatUser {
  return { id: user.id, nickname: user.nickname || `用户${user.id.slice(-4)}` };
}
