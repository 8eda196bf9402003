// Chooses the RoomStore named by STORE.
import { join } from 'node:path';
import type { Config } from '../config';
import type { RoomStore } from './room-store';
import { SqliteRoomStore } from './sqlite/sqlite-room-store';

export function openStore(config: Config): RoomStore {
  switch (config.STORE) {
    case 'sqlite':
      return new SqliteRoomStore(join(config.DATA_DIR, 'wxlive.db'));
    case 'cloudbase':
      throw new Error('STORE=cloudbase is not implemented yet');
  }
}
