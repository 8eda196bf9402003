// The room chat as page methods, shared by the audience and host pages: one RoomChat per page instance, its
// view in setData (lines, like total, viewers), notices from the message table, floating hearts, the send box.
// A page mixes `chatMethods` in and defines `onChatRoomEnded()` (its own ended state).
import type { CohostDeclineReason, CohostGuest, CohostRequest } from '../../typings/cohost';
import { CONFIG } from '../config';
import { describeError } from '../services/api-error';
import { api } from '../services/client';
import { RoomChat, type ChatView } from '../services/room-chat';
import type { SocketPort } from '../services/room-socket';
import type { ChatLine } from './chat-feed';
import { SAY_MAX_CHARS } from './chat-limits';
import { noticeText } from './chat-text';
import { formatCount, formatViewers } from './format';
import { t } from './i18n';

/** `up` flips right after the heart is drawn: cover-view animates by CSS transition (transform, opacity) only */
export interface Heart { id: number; lane: number; up: boolean }

export interface ChatData {
  chatLines: ChatLine[];
  /** keeps the list scrolled to the newest line */
  chatScroll: number;
  /** "12 likes" */
  likeTotal: string;
  chatNotice: string;
  chatDraft: string;
  hearts: Heart[];
  /** the chat.* texts */
  c: Record<string, string>;
}

export const initialChatData: ChatData = {
  chatLines: [], chatScroll: 0, likeTotal: '', chatNotice: '', chatDraft: '', hearts: [], c: {},
};

const MAX_HEARTS = 12;
const HEART_LANES = 4;

interface ChatRuntime {
  chat: RoomChat | null;
  noticeTimer: ReturnType<typeof setTimeout> | null;
  heartTimers: Set<ReturnType<typeof setTimeout>>;
  heartSeq: number;
}

const runtimes = new WeakMap<object, ChatRuntime>();
export function chatRt(self: object): ChatRuntime {
  let r = runtimes.get(self);
  if (!r) {
    r = { chat: null, noticeTimer: null, heartTimers: new Set(), heartSeq: 0 };
    runtimes.set(self, r);
  }
  return r;
}

export interface ChatPage {
  data: ChatData & { roomId: string; viewers: string };
  setData(patch: Partial<ChatData> & { viewers?: string }, callback?: () => void): void;
  onChatRoomEnded(): void;
  showChatNotice(text: string): void;
  /** co-hosting pages (lib/guest-windows, the pages' cohost mixins) take the line-up and the requests */
  onCohosts?(guests: CohostGuest[]): void;
  onCohostRequests?(requests: CohostRequest[]): void;
  onCohostDeclined?(reason: CohostDeclineReason): void;
  onCohostNotice?(code: string): void;
}

const socketWx = (): SocketPort => (globalThis as unknown as { wx: SocketPort }).wx;

export const chatMethods = {
  /** Opens the room's socket (once per page); signed-in users authenticate with the first frame. */
  chatStart(this: ChatPage) {
    const r = chatRt(this);
    if (r.chat || !this.data.roomId) return;
    r.chat = new RoomChat({
      roomId: this.data.roomId, apiBase: CONFIG.apiBase, wx: socketWx, retry: CONFIG.chatRetry,
      likeWindowMs: CONFIG.likeWindowMs, maxLines: CONFIG.chatMaxLines,
      token: () => api().session.current()?.token ?? null,
      listener: {
        onView: (v: ChatView) => {
          const patch: Partial<ChatData> & { viewers?: string } = {
            chatLines: v.lines, chatScroll: v.lines.length * 200, likeTotal: t('chat.likes', { n: formatCount(v.likes) }),
          };
          if (v.viewers !== null) patch.viewers = formatViewers(v.viewers);
          this.setData(patch);
        },
        onNotice: (code) => {
          this.showChatNotice(noticeText(code));
          this.onCohostNotice?.(code);
        },
        onRoomState: (status) => { if (status === 'ended') this.onChatRoomEnded(); },
        onConnection: (e) => { if (e === 'gave-up') this.showChatNotice(t('chat.disconnected')); },
        onCohosts: (guests) => this.onCohosts?.(guests),
        onCohostRequests: (requests) => this.onCohostRequests?.(requests),
        onCohostDeclined: (reason) => this.onCohostDeclined?.(reason),
      },
    });
    r.chat.start();
  },

  chatPause(this: ChatPage) {
    chatRt(this).chat?.pause();
  },

  chatResume(this: ChatPage) {
    chatRt(this).chat?.resume();
  },

  /** Leaving or ended: the socket closes for good, hearts and notices stop. */
  chatStop(this: ChatPage) {
    const r = chatRt(this);
    r.chat?.stop();
    r.chat = null;
    if (r.noticeTimer !== null) clearTimeout(r.noticeTimer);
    r.noticeTimer = null;
    r.heartTimers.forEach((h) => clearTimeout(h));
    r.heartTimers.clear();
  },

  showChatNotice(this: ChatPage, text: string) {
    const r = chatRt(this);
    if (r.noticeTimer !== null) clearTimeout(r.noticeTimer);
    this.setData({ chatNotice: text });
    r.noticeTimer = setTimeout(() => {
      r.noticeTimer = null;
      this.setData({ chatNotice: '' });
    }, CONFIG.chatNoticeMs);
  },

  onChatInput(this: ChatPage, e: WechatMiniprogram.Input) {
    this.setData({ chatDraft: e.detail.value });
  },

  /** Send (button or the keyboard's "send"): a guest signs in first, then the socket re-authenticates. */
  async onChatSend(this: ChatPage): Promise<void> {
    const chat = chatRt(this).chat;
    if (!chat) return;
    const draft = this.data.chatDraft;
    let res = chat.say(draft);
    if (res === 'sign_in') {
      this.setData({ chatNotice: t('chat.signingIn') });
      try {
        chat.authenticate(await api().session.token());
      } catch (e) {
        this.showChatNotice(describeError(e));
        return;
      }
      if (chatRt(this).chat !== chat) return; // the page went away meanwhile
      res = chat.say(draft);
      this.setData({ chatNotice: '' });
    }
    if (res === 'sent') this.setData({ chatDraft: '' });
    else if (res === 'too_long') this.showChatNotice(t('chat.tooLong', { max: SAY_MAX_CHARS }));
    else if (res === 'offline') this.showChatNotice(t('chat.offline'));
  },

  /** A tap: a heart floats up at once; the like goes with the next batch. */
  onLike(this: ChatPage) {
    const r = chatRt(this);
    if (!r.chat) return;
    r.chat.like();
    const heart: Heart = { id: (r.heartSeq += 1), lane: r.heartSeq % HEART_LANES, up: false };
    this.setData({ hearts: [...this.data.hearts, heart].slice(-MAX_HEARTS) }, () => {
      this.setData({ hearts: this.data.hearts.map((h) => (h.id === heart.id ? { ...h, up: true } : h)) });
    });
    const timer = setTimeout(() => {
      r.heartTimers.delete(timer);
      this.setData({ hearts: this.data.hearts.filter((h) => h.id !== heart.id) });
    }, CONFIG.heartMs);
    r.heartTimers.add(timer);
  },
};
