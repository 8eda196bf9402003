// The host's side of the room chat: the same lines, likes and viewers as the audience (lib/chat-page), and a
// long-press on a line offering delete / mute 10 min / ban through the services layer.
import { chatRt } from '../../lib/chat-page';
import { MODERATION_ERROR_KEYS } from '../../lib/chat-text';
import { t, type MessageKey } from '../../lib/i18n';
import { describeError, isApiError } from '../../services/api-error';
import { api } from '../../services/client';
import type { HostData } from './host-data';
import { keepScreenOn } from './host-runtime';

export const MUTE_MINUTES = 10;

interface HostChatPage {
  data: HostData;
  setData(patch: Partial<HostData>): void;
  showChatNotice(text: string): void;
  onStop(): void;
  chatStop(): void;
}

type Action = 'delete' | 'mute' | 'ban';
const ACTIONS: readonly { action: Action; label: MessageKey; done: MessageKey }[] = [
  { action: 'delete', label: 'chat.actionDelete', done: 'chat.doneDelete' },
  { action: 'mute', label: 'chat.actionMute', done: 'chat.doneMute' },
  { action: 'ban', label: 'chat.actionBan', done: 'chat.doneBan' },
];

/** The API's refusal in the phone's language where the code is known, else the server's own message. */
export function moderationError(e: unknown): string {
  const key = isApiError(e) ? MODERATION_ERROR_KEYS[e.code] : undefined;
  return key ? t(key) : describeError(e);
}

export const hostChat = {
  /** Long-press on a message: delete / mute 10 min / ban (lines still pending have no id yet). */
  onMessageLongPress(this: HostChatPage, e: { currentTarget: { dataset: { id?: string; user?: string; pending?: boolean } } }) {
    const { id, user, pending } = e.currentTarget.dataset;
    if (!id || !user || pending) return;
    wx.showActionSheet({
      itemList: ACTIONS.map((a) => t(a.label)),
      success: (res) => {
        const row = ACTIONS[res.tapIndex];
        if (row) void hostChat.moderate.call(this, row.action, id, user);
      },
      fail: () => undefined, // dismissed
    });
  },

  async moderate(this: HostChatPage, action: Action, messageId: string, userId: string): Promise<void> {
    const roomId = this.data.roomId;
    const row = ACTIONS.find((a) => a.action === action)!;
    try {
      if (action === 'delete') await api().deleteMessage(roomId, messageId);
      else if (action === 'mute') await api().muteUser(roomId, userId, MUTE_MINUTES);
      else await api().banUser(roomId, userId);
      this.showChatNotice(t(row.done));
    } catch (err) {
      this.showChatNotice(moderationError(err));
    }
  },

  /** The socket said `state ended` (the room ended elsewhere: admin, OBS host): the page's ended state. */
  onChatRoomEnded(this: HostChatPage) {
    if (this.data.stage === 'ended' || !chatRt(this).chat) return;
    if (this.data.pushing) this.onStop();
    this.chatStop();
    wx.disableAlertBeforeUnload({});
    this.setData({ stage: 'ended', status: t('host.ended'), tone: 'info' });
    keepScreenOn(false);
  },
};
