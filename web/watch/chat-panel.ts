// The watch page's chat panel (issue 13): history and live messages over the room socket, the like button with the
// room's like total, viewers, notices from the message table; a visitor without a session picks a nickname first.
import type { RoomStatus } from '../../typings/api';
import type { NoticeFrame, ServerFrame } from '../../typings/chat';
import type { CohostGuest } from '../../typings/cohost';
import { LIKE_MAX_PER_FRAME, NICKNAME_MAX_CHARS, SAY_MAX_CHARS } from '../../typings/chat';
import { ApiError } from '../shared/api';
import { ChatList } from '../shared/chat-list';
import { ChatSocket, type ChatSocketEnd } from '../shared/chat-socket';
import { byId, setAttr, setShown, setText } from '../shared/dom';
import { formatCount } from '../shared/format';
import { t, type MessageKey } from '../shared/i18n';
import { guestSession, type ChatSessionInfo } from './guest-session';

/** taps are summed into one like frame at most this often */
export const LIKE_BATCH_MS = 250;

/** What the panel shows; CSS keys off `data-chat` on the panel. */
type PanelState = 'connecting' | 'open' | 'reconnecting' | 'readonly' | 'banned' | 'ended';

export class ChatPanel {
  private readonly panel = byId('chat');
  private readonly status = byId('chat-status');
  private readonly list = new ChatList(byId<HTMLOListElement>('chat-list'));
  private readonly empty = byId('chat-empty');
  private readonly notice = byId('chat-notice');
  private readonly viewers = byId('chat-viewers');
  private readonly likes = byId('likes');
  private readonly likeButton = byId<HTMLButtonElement>('like');
  private readonly sayForm = byId<HTMLFormElement>('say-form');
  private readonly say = byId<HTMLInputElement>('say');
  private readonly nickForm = byId<HTMLFormElement>('nickname-form');
  private readonly nickname = byId<HTMLInputElement>('nickname');
  private readonly you = byId('chat-you');
  private readonly socket: ChatSocket;
  private session: ChatSessionInfo | null = guestSession.get();
  private state: PanelState = 'connecting';
  /** the room's like total as last told, and taps not yet sent */
  private likeTotal = 0;
  private unsentLikes = 0;
  private likeTimer: ReturnType<typeof setTimeout> | undefined;
  /** text typed before the nickname was picked: sent once the signed-in hello arrives */
  private pending: string | null = null;
  /** our own messages in flight, by nonce: put back in the input when refused */
  private inFlight = new Map<string, string>();
  private lastNonce = '';
  private nonces = 0;
  /** the server answered 403 guest_chat_off: read-only for this page's life */
  private guestOff = false;

  constructor(
    roomId: string, private readonly onState: (status: RoomStatus) => void,
    /** the co-hosts' line-up from `cohosts` frames (the guest grid) */
    private readonly onCohosts?: (guests: CohostGuest[]) => void,
  ) {
    this.socket = new ChatSocket(roomId, {
      frame: (f) => this.frame(f),
      connected: (open) => { if (!open) this.setState('reconnecting'); },
      ended: (why) => this.ended(why),
    }, () => this.session?.token ?? null);
  }

  start(): void {
    this.say.maxLength = SAY_MAX_CHARS;
    this.nickname.maxLength = NICKNAME_MAX_CHARS;
    this.sayForm.addEventListener('submit', (e) => { e.preventDefault(); this.send(); });
    this.nickForm.addEventListener('submit', (e) => { e.preventDefault(); void this.join(); });
    this.likeButton.addEventListener('click', () => this.like());
    this.showYou();
    this.setState('connecting');
    this.socket.start();
  }

  /** The page learned that the broadcast ended (room poll or player): the chat closes with it. */
  roomEnded(): void {
    this.socket.stop();
    this.setState('ended');
  }

  private frame(f: ServerFrame): void {
    switch (f.type) {
      case 'hello':
        this.list.add(f.history);
        this.likeTotal = f.likes;
        this.showLikes();
        this.showViewers(f.viewers);
        this.setState(f.settings.closed ? 'readonly' : 'open');
        if (f.settings.closed) this.showNotice('watch.notice.chat_closed');
        if (f.you && this.pending !== null) {
          const text = this.pending;
          this.pending = null;
          this.say.value = text;
          this.send();
        }
        if (f.room.status !== 'live') this.onState(f.room.status);
        break;
      case 'message':
        this.list.add([f]);
        if (f.nonce) this.inFlight.delete(f.nonce);
        break;
      case 'deleted':
        this.list.remove(f.id);
        break;
      case 'likes':
        this.likeTotal = f.total;
        this.showLikes();
        break;
      case 'viewers':
        this.showViewers(f.count);
        break;
      case 'settings':
        if (this.state === 'open' || this.state === 'readonly') this.setState(f.closed ? 'readonly' : 'open');
        if (f.closed) this.showNotice('watch.notice.chat_closed');
        else setShown(this.notice, false);
        break;
      case 'state':
        this.onState(f.status);
        if (f.status === 'ended') this.roomEnded();
        break;
      case 'notice':
        this.onNotice(f);
        break;
      case 'cohosts':
        this.onCohosts?.(f.guests);
        break;
    }
    setShown(this.empty, this.list.size === 0 && this.state !== 'ended');
  }

  private onNotice(f: NoticeFrame): void {
    if (f.code === 'auth_failed') {
      guestSession.clear(); // expired: a new nickname next time
      this.session = null;
      this.showYou();
    }
    // a refused message goes back into the input, so nothing typed is lost
    const text = this.inFlight.get(this.lastNonce);
    if (text !== undefined && f.code !== 'bad_frame') {
      this.inFlight.delete(this.lastNonce);
      if (!this.say.value) this.say.value = text;
    }
    if (f.code === 'auth_required') {
      this.askNickname();
      return;
    }
    if (f.code === 'muted' && f.retryAfterMs) {
      this.showNotice('watch.notice.mutedFor', { minutes: Math.max(1, Math.ceil(f.retryAfterMs / 60000)) }, f.code);
    } else {
      this.showNotice(`watch.notice.${f.code}` as MessageKey, { s: Math.max(1, Math.ceil((f.retryAfterMs ?? 0) / 1000)) }, f.code);
    }
  }

  private send(): void {
    const text = this.say.value.trim();
    if (!text || this.state === 'readonly' || this.state === 'banned' || this.state === 'ended') return;
    if (!this.session) {
      this.pending = text;
      this.askNickname();
      return;
    }
    const nonce = `n${Date.now().toString(36)}${(this.nonces++).toString(36)}`;
    if (!this.socket.send({ type: 'say', text, nonce })) return; // not connected: the text stays in the input
    this.inFlight.set(nonce, text);
    this.lastNonce = nonce;
    this.say.value = '';
    setShown(this.notice, false);
  }

  private askNickname(): void {
    setShown(this.sayForm, false);
    setShown(this.nickForm, true);
    this.nickname.focus();
  }

  private async join(): Promise<void> {
    const nickname = this.nickname.value.trim();
    if (!nickname) return;
    const button = this.nickForm.querySelector('button')!;
    button.disabled = true;
    try {
      this.session = await guestSession.start(nickname);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'guest_chat_off') {
        this.pending = null;
        this.guestOff = true;
        this.setState('readonly');
        return;
      }
      if (err instanceof ApiError && err.code === 'guest_rate_address') this.showNotice('watch.chat.guestRate');
      else this.showNotice('watch.chat.guestFailed', { message: err instanceof Error ? err.message : String(err) });
      return;
    } finally {
      button.disabled = false;
    }
    setShown(this.nickForm, false);
    setShown(this.sayForm, true);
    setShown(this.notice, false);
    this.showYou();
    this.say.focus();
    this.socket.reconnect(); // a fresh socket signs in with its first frame; the pending text follows the hello
  }

  private like(): void {
    if (this.state === 'ended') return;
    this.unsentLikes++;
    this.showLikes();
    this.likeButton.classList.remove('pop');
    void this.likeButton.offsetWidth; // restart the animation
    this.likeButton.classList.add('pop');
    if (this.likeTimer === undefined) this.likeTimer = setTimeout(() => this.flushLikes(), LIKE_BATCH_MS);
  }

  private flushLikes(): void {
    this.likeTimer = undefined;
    const count = Math.min(this.unsentLikes, LIKE_MAX_PER_FRAME);
    if (count === 0) return;
    if (this.socket.send({ type: 'like', count })) {
      this.unsentLikes -= count;
      this.likeTotal += count; // until the server's next total
    }
    if (this.unsentLikes > 0) this.likeTimer = setTimeout(() => this.flushLikes(), LIKE_BATCH_MS);
  }

  private ended(why: ChatSocketEnd): void {
    if (why === 'banned') {
      this.setState('banned');
      this.showNotice('watch.notice.banned', {}, 'banned');
    } else {
      this.setState('ended');
    }
  }

  private setState(state: PanelState): void {
    if (this.state === 'ended' || (this.state === 'banned' && state !== 'ended')) return; // both final
    if (this.guestOff && state === 'open') state = 'readonly';
    this.state = state;
    setAttr(this.panel, 'data-chat', state);
    const text: Partial<Record<PanelState, string>> = {
      connecting: t('watch.chat.connecting'), reconnecting: t('watch.chat.reconnecting'), ended: t('watch.chat.ended'),
      readonly: this.guestOff ? t('watch.chat.guestOff') : '',
    };
    setText(this.status, text[state] ?? '');
    setShown(this.status, this.status.textContent !== '');
    const canWrite = state === 'open' || state === 'connecting' || state === 'reconnecting';
    this.say.disabled = !canWrite;
    this.sayForm.querySelector('button')!.disabled = !canWrite;
    this.likeButton.disabled = state === 'ended';
    if (!canWrite) setShown(this.nickForm, false);
    if (state === 'ended') setShown(this.empty, false);
  }

  private showNotice(key: MessageKey, params: Record<string, string | number> = {}, code?: string): void {
    setText(this.notice, t(key, params));
    setAttr(this.notice, 'data-code', code ?? null);
    setShown(this.notice, true);
  }

  private showLikes(): void {
    setText(this.likes, t('watch.chat.likes', { count: formatCount(this.likeTotal + this.unsentLikes) }));
  }

  private showViewers(count: number): void {
    setText(this.viewers, t('watch.viewers', { count: formatCount(count) }));
  }

  private showYou(): void {
    setText(this.you, this.session ? t('watch.chat.you', { nickname: this.session.nickname }) : '');
    setShown(this.you, !!this.session);
  }
}
