// One room on the front page: cover (or a placeholder with the title's first letter), badge, title, a line below.
import type { Room } from '../../typings/api';
import { el } from '../shared/dom';

export interface CardText {
  badge: string;
  /** viewers of a live room, the end time of a replay */
  meta: string;
}

export function roomCard(room: Room, kind: 'live' | 'replay', text: CardText): HTMLLIElement {
  const thumb = el('span', 'card-thumb');
  if (room.cover) {
    const img = el('img', 'card-cover');
    img.src = room.cover;
    img.alt = '';
    img.loading = 'lazy';
    img.decoding = 'async';
    // a cover that fails to load leaves the placeholder underneath
    img.addEventListener('error', () => img.remove());
    thumb.appendChild(img);
  }
  thumb.prepend(el('span', 'card-initial', [...room.title.trim()][0] ?? '·'));
  thumb.appendChild(el('span', `card-badge ${kind}`, text.badge));
  const link = el('a', 'card', '', thumb, el('span', 'card-title', room.title), el('span', 'card-meta', text.meta));
  link.href = `/watch/${encodeURIComponent(room.id)}`;
  const item = el('li', '', '', link);
  item.dataset.id = room.id;
  item.dataset.kind = kind;
  return item;
}
