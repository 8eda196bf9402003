// A room's messages as a list: one <li data-id> per message id (history after a reconnect adds only what is new),
// deletions remove it, at most MAX_SHOWN kept; scrolled to the newest unless the reader scrolled up.
import type { ChatMessage } from '../../typings/chat';
import { el } from './dom';
import { formatClock } from './format';

export const MAX_SHOWN = 200;

/** Extra controls per message (the admin console's delete / mute / ban). */
export type MessageActions = (message: ChatMessage) => Node[];

export class ChatList {
  private readonly items = new Map<string, HTMLLIElement>();

  constructor(readonly node: HTMLOListElement, private readonly actions?: MessageActions) {}

  /** Adds messages not shown yet, in id order (ids sort by time). */
  add(messages: readonly ChatMessage[]): void {
    const stick = this.atBottom();
    for (const m of messages) {
      if (this.items.has(m.id)) continue;
      const li = this.render(m);
      this.items.set(m.id, li);
      // usually the newest: appended; an older one (history after a gap) goes in its place
      let before: Element | null = null;
      for (let n = this.node.lastElementChild; n && (n as HTMLElement).dataset.id! > m.id; n = n.previousElementSibling) before = n;
      this.node.insertBefore(li, before);
    }
    while (this.items.size > MAX_SHOWN) {
      const first = this.node.firstElementChild as HTMLLIElement;
      this.items.delete(first.dataset.id!);
      first.remove();
    }
    if (stick) this.node.scrollTop = this.node.scrollHeight;
  }

  remove(id: string): void {
    this.items.get(id)?.remove();
    this.items.delete(id);
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  get size(): number {
    return this.items.size;
  }

  private atBottom(): boolean {
    const n = this.node;
    return n.scrollHeight - n.scrollTop - n.clientHeight < 40;
  }

  private render(m: ChatMessage): HTMLLIElement {
    const time = el('time', 'chat-time', formatClock(m.at));
    time.dateTime = m.at;
    const li = el('li', 'chat-message', '',
      time, el('span', 'chat-nick', m.user.nickname), el('span', 'chat-text', m.text), ...(this.actions?.(m) ?? []));
    li.dataset.id = m.id;
    li.dataset.user = m.user.id;
    return li;
  }
}
