// Which happenings become which events (unit): RoomService events over a real SQLite store, the plane's hooks,
// and chat messages published on the bus — in order, each once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { InProcessRoomBus } from '../../server/chat/room-bus';
import type { MediaUrls } from '../../server/rooms/ports';
import { RoomService } from '../../server/rooms/room-service';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';
import { RoomWebhooks } from '../../server/webhooks/room-webhooks';
import type { WebhookOutbox } from '../../server/webhooks/webhook-outbox';

const noUrls = { push: () => { throw new Error('not used'); }, play: () => { throw new Error('not used'); }, replay: () => null } as unknown as MediaUrls;

test('create → live → (reconnect) → end, a refusal, a replay and a chat message: one event each, in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-rw-'));
  const sent: { type: string; data: any }[] = [];
  const outbox = { emit: async (type: string, data: unknown) => { sent.push({ type, data }); return null; } } as unknown as WebhookOutbox;
  const webhooks = new RoomWebhooks(outbox, pino({ level: 'silent' }));
  const store = new SqliteRoomStore(join(dir, 'wxlive.db'));
  try {
    const rooms = new RoomService({ store: webhooks.announcingCreation(store), urls: noUrls, pushTtlS: 60, playTtlS: 60, graceMs: 1000 });
    webhooks.follow(rooms);
    const hooks = webhooks.planeHooks();
    const bus = webhooks.announcingMessages(new InProcessRoomBus());
    const heard: string[] = [];
    bus.subscribe('r', (e) => heard.push(e.kind));

    const room = await rooms.create('host1', { title: 'T' });
    await rooms.publisherStarted(room.id, 'b1');
    await rooms.publisherStopped(room.id);
    await rooms.publisherStarted(room.id); // back within the grace: no second room.live
    hooks.publishRefused!(room.id, 'bad_signature');
    await bus.publish('r', { kind: 'message', message: { id: 'm1', user: { id: 'u', nickname: 'Ann' }, text: 'hi', at: new Date(0).toISOString() } });
    await bus.publish('r', { kind: 'likes', total: 3 });
    await rooms.end(room.id, { kind: 'admin' });
    hooks.replayReady!(room.id, 'b1');
    await new Promise((r) => setImmediate(r));

    expect(sent.map((e) => e.type)).toEqual(['room.created', 'room.live', 'publish.refused', 'chat.message', 'room.ended', 'replay.ready']);
    expect(sent[0]!.data.room).toMatchObject({ id: room.id, title: 'T', status: 'idle' });
    expect(sent[1]!.data.room).toMatchObject({ id: room.id, status: 'live' });
    expect(sent[2]!.data).toEqual({ roomId: room.id, reason: 'bad_signature' });
    expect(sent[3]!.data).toMatchObject({ roomId: 'r', message: { id: 'm1', text: 'hi' } });
    expect(sent[5]!.data).toEqual({ roomId: room.id, broadcastId: 'b1' });
    expect(heard).toEqual(['message', 'likes']); // the bus still carries everything
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with REPLAY=off no replay.ready is sent', async () => {
  const sent: string[] = [];
  const outbox = { emit: async (type: string) => { sent.push(type); return null; } } as unknown as WebhookOutbox;
  new RoomWebhooks(outbox, pino({ level: 'silent' }), false).planeHooks().replayReady!('r', 'b');
  await new Promise((r) => setImmediate(r));
  expect(sent).toEqual([]);
});
