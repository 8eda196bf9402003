// Opens the video library's store (issue 14) in the same database as the rooms: SQLite or CloudBase per STORE.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { SqliteVideoStore } from './sqlite/sqlite-video-store';
import type { VideoStore } from './video-store';

export function openVideoStore(config: Config, log: Logger): VideoStore {
  if (config.STORE === 'sqlite') return new SqliteVideoStore(join(config.DATA_DIR, 'wxlive.db'));
  // loaded only when used, like the other CloudBase stores
  const { CloudbaseVideoStore } = require('./cloudbase/cloudbase-video-store') as typeof import('./cloudbase/cloudbase-video-store');
  return new CloudbaseVideoStore({
    env: config.CLOUDBASE_ENV!, secretId: config.CLOUDBASE_SECRET_ID!, secretKey: config.CLOUDBASE_SECRET_KEY!,
    serviceUrl: config.CLOUDBASE_SERVICE_URL, log,
  });
}
