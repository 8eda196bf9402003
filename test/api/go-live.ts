// Moves a room to live the way the media plane would (through the store on the server's own SQLite
// file), for API tests that need a live room before RTMP ingest exists in the test.
import { join } from 'node:path';
import type { RoomRecord } from '../../server/store/room-store';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';

export async function goLive(dataDir: string, roomId: string, broadcastId = 'bcast00001'): Promise<RoomRecord> {
  const store = new SqliteRoomStore(join(dataDir, 'wxlive.db'));
  try {
    const live = await store.update(roomId, ['idle'], { status: 'live', startedAt: Date.now(), broadcastId, disconnectedAt: null });
    if (!live) throw new Error(`room ${roomId} is not idle`);
    return live;
  } finally {
    await store.close();
  }
}
