// The admin console's banned users (GET /api/admin/users/banned, newest first), each with its undo
// (DELETE /api/admin/users/:id/ban). Rows keyed by user id and reused, so refreshes never flicker.
import type { BannedUsersResponse, UserBan } from '../../typings/chat';
import { api } from '../shared/api';
import { byId, el, placeRows, setAttr, setShown, setText } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import { t } from '../shared/i18n';

export class BannedView {
  private readonly list = byId<HTMLUListElement>('banned-list');
  private readonly empty = byId('banned-empty');
  private readonly error = byId('banned-error');
  private readonly rows = new Map<string, { li: HTMLLIElement; who: HTMLElement; since: HTMLElement }>();
  private seq = 0;

  constructor(
    private readonly token: () => string | null,
    private readonly nicknameOf: (userId: string) => string | undefined,
    private readonly describe: (err: unknown) => string,
  ) {}

  async refresh(): Promise<void> {
    const token = this.token();
    if (!token) return;
    const seq = ++this.seq;
    try {
      const { users } = await api<BannedUsersResponse>('/api/admin/users/banned', { token });
      if (seq === this.seq) this.show(users);
      setShown(this.error, false);
    } catch (err) {
      if (seq !== this.seq) return;
      setText(this.error, t('admin.chat.failed', { message: this.describe(err) }));
      setShown(this.error, true);
    }
  }

  private show(users: UserBan[]): void {
    placeRows(this.list, this.rows, users, {
      key: (ban) => ban.userId, node: (row) => row.li, make: (ban) => this.create(ban.userId),
      update: (row, ban) => {
        const nickname = this.nicknameOf(ban.userId);
        setText(row.who, nickname ? `${nickname} · ${ban.userId}` : ban.userId);
        setText(row.since, t('admin.banned.since', { time: formatDateTime(ban.at) }));
      },
    });
    setShown(this.empty, users.length === 0);
  }

  private create(userId: string) {
    const who = el('code', 'banned-user');
    const since = el('span', 'banned-since');
    const undo = el('button', 'unban', t('admin.banned.undo'));
    undo.type = 'button';
    setAttr(undo, 'aria-label', t('admin.banned.undoLabel', { id: userId }));
    undo.addEventListener('click', () => void this.unban(userId, undo));
    const li = el('li', 'banned-row', '', who, since, undo);
    li.dataset.user = userId;
    const row = { li, who, since };
    this.rows.set(userId, row);
    return row;
  }

  private async unban(userId: string, button: HTMLButtonElement): Promise<void> {
    const token = this.token();
    if (!token) return;
    button.disabled = true;
    try {
      await api(`/api/admin/users/${encodeURIComponent(userId)}/ban`, { method: 'DELETE', token });
    } catch (err) {
      setText(this.error, t('admin.chat.failed', { message: this.describe(err) }));
      setShown(this.error, true);
    } finally {
      button.disabled = false;
    }
    await this.refresh();
  }
}
