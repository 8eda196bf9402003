// The chat lines a page shows: history and live messages merged by id (a reconnect's history never doubles a
// line), the sender's own lines pending until their echo (matched by nonce), deletions. No I/O.
import type { ChatMessage, ChatUser, MessageFrame } from '../../typings/chat';

export interface ChatLine {
  /** the message id, or `pending:<nonce>` until the echo arrives */
  id: string;
  userId: string;
  nickname: string;
  text: string;
  at: string;
  /** sent, echo not seen yet */
  pending: boolean;
  /** written by this user */
  mine: boolean;
}

const PENDING = 'pending:';

export class ChatFeed {
  private sent: ChatLine[] = [];
  private pendingLines: ChatLine[] = [];
  private readonly ids = new Set<string>();

  /** `max`: lines kept (the newest); older ones scroll out */
  constructor(private readonly max: number) {}

  /** A hello's history (also after a reconnect): messages already shown are skipped. */
  history(messages: readonly ChatMessage[], youId: string | null): void {
    for (const m of messages) this.add(m, youId);
    this.settle();
  }

  /** A live message; false when it was shown already. Its `nonce` settles this user's pending line. */
  message(frame: MessageFrame, youId: string | null): boolean {
    if (frame.nonce) this.pendingLines = this.pendingLines.filter((l) => l.id !== PENDING + frame.nonce);
    const added = this.add(frame, youId);
    this.settle();
    return added;
  }

  addPending(nonce: string, text: string, you: ChatUser | null): void {
    this.pendingLines.push({
      id: PENDING + nonce, userId: you?.id ?? '', nickname: you?.nickname ?? '', text, at: new Date().toISOString(), pending: true, mine: true,
    });
    this.settle();
  }

  /** The server refused a send (notices come in the order of the says): its line goes; answers its text. */
  dropOldestPending(): string | null {
    const first = this.pendingLines.shift();
    return first ? first.text : null;
  }

  deleted(id: string): void {
    this.sent = this.sent.filter((l) => l.id !== id);
  }

  lines(): ChatLine[] {
    return [...this.sent, ...this.pendingLines];
  }

  private add(m: ChatMessage, youId: string | null): boolean {
    if (this.ids.has(m.id)) return false;
    this.ids.add(m.id);
    this.sent.push({ id: m.id, userId: m.user.id, nickname: m.user.nickname, text: m.text, at: m.at, pending: false, mine: youId !== null && m.user.id === youId });
    return true;
  }

  /** ids sort by time, so id order is display order; only the newest `max` lines stay. */
  private settle(): void {
    this.sent.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const room = Math.max(0, this.max - this.pendingLines.length);
    if (this.sent.length > room) this.sent = this.sent.slice(this.sent.length - room);
  }
}
