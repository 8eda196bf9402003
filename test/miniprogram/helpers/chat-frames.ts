// Server frames of the room socket (typings/chat.ts) for the scripted-socket tests.
import type { ChatMessage, HelloFrame, MessageFrame } from '../../../typings/chat';

export const chatMsg = (n: number, user = 'viewer-1', text = `message ${n}`): ChatMessage => ({
  id: `01J${String(n).padStart(8, '0')}`, user: { id: user, nickname: `nick ${user}` }, text, at: '2026-11-25T12:00:00.000Z',
});

export const messageFrame = (m: ChatMessage, nonce?: string): MessageFrame => ({ type: 'message', ...m, ...(nonce ? { nonce } : {}) });

export function hello(over: Partial<HelloFrame> & { roomId: string }): HelloFrame {
  const { roomId, ...rest } = over;
  return {
    type: 'hello', room: { id: roomId, title: 'Concert', hostId: 'host-1', status: 'live' }, you: null, viewers: 5, likes: 10,
    history: [], settings: { slowModeS: 0, closed: false }, ...rest,
  };
}
