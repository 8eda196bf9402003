// The admin console's view of one room's chat (issue 13): the room socket as a read-only guest (the socket signs in
// session tokens only), and per message delete / mute 10 min / ban everywhere through the API with the admin token.
import type { AdminRoom } from '../../typings/api';
import type { ChatMessage, MuteRequest, UserBanResponse } from '../../typings/chat';
import { api } from '../shared/api';
import { ChatList } from '../shared/chat-list';
import { ChatSocket } from '../shared/chat-socket';
import { byId, el, setShown, setText } from '../shared/dom';
import { formatTime } from '../shared/format';
import { t } from '../shared/i18n';

export const MUTE_MINUTES = 10;

export class ChatView {
  private readonly title = byId('room-chat-title');
  private readonly pick = byId('room-chat-pick');
  private readonly status = byId('room-chat-status');
  private readonly error = byId('room-chat-error');
  private readonly empty = byId('room-chat-empty');
  private readonly listNode = byId<HTMLOListElement>('room-chat-list');
  private list: ChatList | null = null;
  private socket: ChatSocket | null = null;
  private room: AdminRoom | null = null;
  /** nicknames seen in the chat, so the banned list can say who an id is */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly token: () => string | null,
    /** told after a ban, so the banned list shows it */
    private readonly onBanned: () => void,
    /** a failed call: its message in the page's language */
    private readonly describe: (err: unknown) => string,
  ) {}

  get roomId(): string | null {
    return this.room?.id ?? null;
  }

  nicknameOf(userId: string): string | undefined {
    return this.names.get(userId);
  }

  select(room: AdminRoom): void {
    this.close();
    this.room = room;
    setText(this.title, t('admin.chat.title', { title: room.title, id: room.id }));
    setShown(this.pick, false);
    setShown(this.error, false);
    setShown(this.status, false);
    this.listNode.replaceChildren();
    const list = new ChatList(this.listNode, (m) => this.actions(m));
    this.list = list;
    setShown(this.empty, true);
    this.socket = new ChatSocket(room.id, {
      frame: (f) => {
        if (list !== this.list) return;
        if (f.type === 'hello') list.add(f.history);
        else if (f.type === 'message') list.add([f]);
        else if (f.type === 'deleted') list.remove(f.id);
        if (f.type === 'hello' || f.type === 'message') for (const m of f.type === 'hello' ? f.history : [f]) this.names.set(m.user.id, m.user.nickname);
        setShown(this.empty, list.size === 0);
      },
      connected: () => {},
      ended: () => { if (list === this.list) this.showStatus(t('admin.chat.gone')); },
    });
    this.socket.start();
  }

  close(): void {
    this.socket?.stop();
    this.socket = null;
    this.list = null;
  }

  private actions(m: ChatMessage): Node[] {
    const button = (cls: string, text: string, run: () => Promise<void>) => {
      const b = el('button', `chat-action ${cls}`, text);
      b.type = 'button';
      b.addEventListener('click', () => {
        b.disabled = true;
        run().catch((err) => this.showError(t('admin.chat.failed', { message: this.describe(err) }))).finally(() => { b.disabled = false; });
      });
      return b;
    };
    return [el('span', 'chat-actions', '',
      button('delete', t('admin.chat.delete'), () => this.remove(m)),
      button('mute', t('admin.chat.mute'), () => this.mute(m)),
      button('ban', t('admin.chat.ban'), () => this.ban(m)))];
  }

  private path(): string {
    return `/api/rooms/${encodeURIComponent(this.room!.id)}`;
  }

  private async remove(m: ChatMessage): Promise<void> {
    await api(`${this.path()}/messages/${encodeURIComponent(m.id)}`, { method: 'DELETE', token: this.token() ?? undefined });
    this.list?.remove(m.id); // the deleted frame follows; no need to wait for it
  }

  private async mute(m: ChatMessage): Promise<void> {
    const body: MuteRequest = { userId: m.user.id, minutes: MUTE_MINUTES };
    const r = await api<{ mute: { until: string } }>(`${this.path()}/mutes`, { method: 'POST', token: this.token() ?? undefined, body });
    this.showStatus(t('admin.chat.muted', { nickname: m.user.nickname, time: formatTime(r.mute.until) }));
  }

  private async ban(m: ChatMessage): Promise<void> {
    if (!window.confirm(t('admin.chat.banConfirm', { nickname: m.user.nickname }))) return;
    await api<UserBanResponse>(`/api/admin/users/${encodeURIComponent(m.user.id)}/ban`, { method: 'POST', token: this.token() ?? undefined });
    this.onBanned();
  }

  private showStatus(text: string): void {
    setText(this.status, text);
    setShown(this.status, true);
    setShown(this.error, false);
  }

  private showError(text: string): void {
    setText(this.error, text);
    setShown(this.error, true);
  }
}
