// One room's chat on this node: its sockets, the recent history and like total they are greeted with, and
// the bus events turned into frames. Every frame is serialized once and written to every socket of the room.
import type { ChatMessage, ChatSettings, ChatUser, HelloFrame, ServerFrame } from '../../typings/chat';
import { CLOSE_BANNED, CLOSE_ROOM_GONE, HISTORY_SIZE } from '../../typings/chat';
import type { CohostGuest, CohostRequest } from '../../typings/cohost';
import type { ViewerCounter } from '../rooms/ports';
import type { ChatStore } from '../store/chat-store';
import type { RoomRecord } from '../store/room-store';
import type { ChatCohosts } from './ports';
import type { BusEvent, RoomBus } from './room-bus';
import { Throttle } from './throttle';
import { toChatMessage } from './chat-message';

/** What a channel holds of each socket. */
export interface ChannelMember {
  readonly id: string;
  /** greeted: only greeted members get broadcasts (the hello's history covers what came before) */
  readonly greeted: boolean;
  /** the signed-in user; null for a guest */
  readonly user: ChatUser | null;
  /** signed in with the ADMIN_TOKEN (no user): sees what the host sees of co-hosting */
  readonly admin?: boolean;
  sendRaw(json: string): void;
  end(code: number, reason: string): void;
}

export interface ChannelDeps {
  store: ChatStore;
  bus: RoomBus;
  viewers: ViewerCounter;
  likesEveryMs: number;
  viewersEveryMs: number;
  onError: (err: unknown, what: string) => void;
  /** co-hosting: the line-up and requests the room is greeted with (none without) */
  cohosts?: Pick<ChatCohosts, 'lineup' | 'pending'>;
}

export const DEFAULT_SETTINGS: ChatSettings = { slowModeS: 0, closed: false };

export class RoomChannel {
  readonly members = new Set<ChannelMember>();
  /** resolves once history and likes are loaded (never rejects: a failed load greets with what is known) */
  readonly ready: Promise<void>;
  private history: ChatMessage[] = [];
  private likes = 0;
  private likesSent = 0;
  private pendingLikes = 0;
  private viewers: number;
  private settings: ChatSettings = DEFAULT_SETTINGS;
  private settingsFromBus = false;
  private guests: CohostGuest[] = [];
  private requests: CohostRequest[] = [];
  /** a line-up or requests event that came while loading is newer than what was read */
  private guestsFromBus = false;
  private requestsFromBus = false;
  private readonly unsubscribe: () => void;
  private readonly likesIn: Throttle;
  private readonly likesOut: Throttle;
  private readonly viewerTimer: NodeJS.Timeout;

  constructor(private room: RoomRecord, private readonly deps: ChannelDeps) {
    // subscribe before loading: a message sent meanwhile is in one or the other, and merged by id
    this.unsubscribe = deps.bus.subscribe(room.id, (e) => this.onBus(e));
    this.likesIn = new Throttle(deps.likesEveryMs, () => this.flushLikes());
    this.likesOut = new Throttle(deps.likesEveryMs, () => this.sendLikes());
    this.viewers = deps.viewers.viewers(room.id);
    this.viewerTimer = setInterval(() => this.checkViewers(), deps.viewersEveryMs).unref();
    this.ready = this.load();
  }

  get roomId(): string {
    return this.room.id;
  }

  /** the room's chat settings as this node knows them (loaded with the history, then from the bus) */
  get chatSettings(): ChatSettings {
    return this.settings;
  }

  hello(you: ChatUser | null): HelloFrame {
    const { id, title, hostId, status } = this.room;
    return {
      type: 'hello', room: { id, title, hostId, status }, you, viewers: this.viewers, likes: this.likes,
      history: [...this.history], settings: { ...this.settings },
    };
  }

  /** The frames that follow the hello: the line-up to everyone, the pending requests to the host. */
  afterHello(you: ChatUser | null, admin = false): string[] {
    if (!this.deps.cohosts) return [];
    const frames = [JSON.stringify({ type: 'cohosts', guests: this.guests } satisfies ServerFrame)];
    if (admin || (you && you.id === this.room.hostId)) frames.push(JSON.stringify({ type: 'cohost_requests', requests: this.requests } satisfies ServerFrame));
    return frames;
  }

  /** Likes from one of this node's sockets: added to the store at most every likesEveryMs, summed. */
  addLikes(count: number): void {
    this.pendingLikes += count;
    this.likesIn.poke();
  }

  /** Stops listening; pending likes are still stored. */
  dispose(): void {
    this.likesIn.flush();
    this.likesOut.cancel();
    clearInterval(this.viewerTimer);
    this.unsubscribe();
  }

  private async load(): Promise<void> {
    try {
      const [page, total, settings] = await Promise.all([
        this.deps.store.listMessages(this.room.id, { limit: HISTORY_SIZE }),
        this.deps.store.likes(this.room.id),
        this.deps.store.settings(this.room.id),
      ]);
      for (const m of page) this.remember(toChatMessage(m));
      // a settings event that came meanwhile is newer than the stored row
      if (settings && !this.settingsFromBus) this.settings = settings;
      this.likes = Math.max(this.likes, total);
      this.likesSent = this.likes;
    } catch (err) {
      this.deps.onError(err, 'loading chat history');
    }
    const cohosts = this.deps.cohosts;
    if (!cohosts) return;
    try {
      const [guests, requests] = await Promise.all([cohosts.lineup(this.room.id), cohosts.pending(this.room.id)]);
      if (!this.guestsFromBus) this.guests = guests;
      if (!this.requestsFromBus) this.requests = requests;
    } catch (err) {
      this.deps.onError(err, 'loading the co-hosts');
    }
  }

  private onBus(e: BusEvent): void {
    switch (e.kind) {
      case 'message': {
        this.remember(e.message);
        const frame: ServerFrame = { type: 'message', ...e.message };
        const json = JSON.stringify(frame);
        const echo = e.from && e.nonce !== undefined ? JSON.stringify({ ...frame, nonce: e.nonce }) : json;
        for (const m of this.members) if (m.greeted) m.sendRaw(m.id === e.from ? echo : json);
        return;
      }
      case 'deleted':
        this.history = this.history.filter((m) => m.id !== e.id);
        return this.broadcast({ type: 'deleted', id: e.id });
      case 'likes':
        this.likes = Math.max(this.likes, e.total);
        return this.likesOut.poke();
      case 'settings':
        this.settings = { ...e.settings };
        this.settingsFromBus = true;
        return this.broadcast({ type: 'settings', ...e.settings });
      case 'banned':
      {
        const told = JSON.stringify({ type: 'notice', code: 'banned', message: 'You are banned from this room.' } satisfies ServerFrame);
        for (const m of [...this.members]) {
          if (m.user?.id !== e.userId) continue;
          m.sendRaw(told);
          m.end(CLOSE_BANNED, 'banned from this room');
        }
        return;
      }
      case 'state':
        this.room = { ...this.room, status: e.status };
        this.broadcast({ type: 'state', status: e.status });
        if (e.status === 'ended') this.endAll('room ended');
        return;
      case 'cohosts':
        this.guests = e.guests;
        this.guestsFromBus = true;
        return this.broadcast({ type: 'cohosts', guests: e.guests });
      case 'cohost_requests': {
        this.requests = e.requests;
        this.requestsFromBus = true;
        // the requesters' names are the host's to see, not the audience's
        const json = JSON.stringify({ type: 'cohost_requests', requests: e.requests } satisfies ServerFrame);
        for (const m of this.members) if (m.greeted && (m.admin || m.user?.id === this.room.hostId)) m.sendRaw(json);
        return;
      }
      case 'cohost_declined': {
        const json = JSON.stringify({ type: 'cohost_declined', reason: e.reason } satisfies ServerFrame);
        for (const m of this.members) if (m.greeted && m.user?.id === e.userId) m.sendRaw(json);
        return;
      }
      case 'gone':
        if (this.room.status !== 'ended') this.broadcast({ type: 'state', status: 'ended' });
        this.room = { ...this.room, status: 'ended' };
        return this.endAll('room deleted');
    }
  }

  private endAll(reason: string): void {
    for (const m of [...this.members]) m.end(CLOSE_ROOM_GONE, reason);
  }

  private broadcast(frame: ServerFrame): void {
    const json = JSON.stringify(frame);
    for (const m of this.members) if (m.greeted) m.sendRaw(json);
  }

  /** Keeps the newest HISTORY_SIZE messages, oldest first, each once. */
  private remember(message: ChatMessage): void {
    if (this.history.some((m) => m.id === message.id)) return;
    this.history.push(message);
    const n = this.history.length;
    if (n > 1 && this.history[n - 2]!.id > message.id) this.history.sort((a, b) => (a.id < b.id ? -1 : 1));
    if (n > HISTORY_SIZE) this.history.splice(0, n - HISTORY_SIZE);
  }

  private flushLikes(): void {
    const count = this.pendingLikes;
    if (count === 0) return;
    this.pendingLikes = 0;
    this.deps.store.addLikes(this.room.id, count)
      .then((total) => this.deps.bus.publish(this.room.id, { kind: 'likes', total }))
      .catch((err: unknown) => this.deps.onError(err, 'storing likes'));
  }

  private sendLikes(): void {
    if (this.likes === this.likesSent) return;
    this.likesSent = this.likes;
    this.broadcast({ type: 'likes', total: this.likes });
  }

  private checkViewers(): void {
    const count = this.deps.viewers.viewers(this.room.id);
    if (count === this.viewers) return;
    this.viewers = count;
    this.broadcast({ type: 'viewers', count });
  }
}
