// Which room and media happenings become which webhook events, and what their `data` holds.
import type { Logger } from 'pino';
import type { ChatMessage } from '../../typings/chat';
import type { RoomBus } from '../chat/room-bus';
import type { Room } from '../../typings/api';
import type { PlaneHooks } from '../media/plane';
import { NO_VIEWERS } from '../rooms/ports';
import type { RoomService } from '../rooms/room-service';
import { roomView } from '../rooms/room-view';
import type { RoomRecord, RoomStore } from '../store/room-store';
import type { WebhookOutbox } from './webhook-outbox';

/** Every event type a receiver may get (README "Integrating"). */
export const WEBHOOK_EVENT_TYPES = ['room.created', 'room.live', 'room.ended', 'replay.ready', 'publish.refused', 'chat.message'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface RoomEventData { room: Room }
export interface ReplayReadyData { roomId: string; broadcastId: string }
export interface PublishRefusedData { roomId: string; reason: string }
export interface ChatMessageData { roomId: string; message: ChatMessage }

const view = roomView(NO_VIEWERS);

export class RoomWebhooks {
  constructor(private readonly outbox: WebhookOutbox, private readonly log: Logger, private readonly replay = true) {}

  /** room.live (a first publish; a publisher back within the grace is no news) and room.ended */
  follow(rooms: RoomService): void {
    rooms.events.on('live', (room, resumed) => { if (!resumed) this.send('room.live', { room: view(room) }); });
    rooms.events.on('ended', (room) => this.send('room.ended', { room: view(room) }));
  }

  /** room.created: the RoomStore `store`, whose successful inserts are announced (RoomService has no event for it) */
  announcingCreation(store: RoomStore): RoomStore {
    return new Proxy(store, {
      get: (target, key, receiver) => {
        if (key !== 'insert') {
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
        return async (room: RoomRecord, opts: Parameters<RoomStore['insert']>[1]) => {
          const inserted = await target.insert(room, opts);
          // sent before the API answers: a receiver hears of the room no later than its host
          if (inserted) await this.sendNow('room.created', { room: view(room) });
          return inserted;
        };
      },
    });
  }

  /**
   * chat.message: the bus the ChatService publishes to, whose messages are announced. Only the node a message was
   * sent to publishes it (the others receive it), so each message is announced once however many nodes run.
   */
  announcingMessages(bus: RoomBus): RoomBus {
    return {
      publish: (roomId, event) => {
        if (event.kind === 'message') this.send('chat.message', { roomId, message: event.message } satisfies ChatMessageData);
        return bus.publish(roomId, event);
      },
      subscribe: (roomId, handler) => bus.subscribe(roomId, handler),
      close: () => bus.close(),
    };
  }

  /** publish.refused and replay.ready, from the media plane */
  planeHooks(): PlaneHooks {
    return {
      publishRefused: (roomId, reason) => this.send('publish.refused', { roomId, reason } satisfies PublishRefusedData),
      replayReady: (roomId, broadcastId) => { if (this.replay) this.send('replay.ready', { roomId, broadcastId } satisfies ReplayReadyData); },
    };
  }

  send(type: WebhookEventType, data: unknown): void {
    void this.sendNow(type, data);
  }

  private async sendNow(type: WebhookEventType, data: unknown): Promise<void> {
    try {
      await this.outbox.emit(type, data);
    } catch (err) {
      this.log.error({ err, type }, 'storing a webhook event failed');
    }
  }
}
