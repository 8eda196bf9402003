// Chooses the RoomStore (and the ChatStore beside it) named by STORE.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createLogger } from '../log';
import type { ChatStore } from './chat-store';
import type { CohostStore } from './cohost-store';
import type { RoomStore } from './room-store';
import { SqliteChatStore } from './sqlite/sqlite-chat-store';
import { SqliteCohostStore } from './sqlite/sqlite-cohost-store';
import { SqliteRoomStore } from './sqlite/sqlite-room-store';
import { SqliteWebhookStore } from './sqlite/sqlite-webhook-store';
import type { WebhookStore } from './webhook-store';

/** `log` receives store failures (CloudBase request ids); without one, a logger at LOG_LEVEL is made. */
export function openStore(config: Config, log?: Logger): RoomStore {
  switch (config.STORE) {
    case 'sqlite':
      return new SqliteRoomStore(join(config.DATA_DIR, 'wxlive.db'));
    case 'cloudbase': {
      // loaded only when chosen: the CloudBase SDK costs ~30 MB of memory that an SQLite server never needs
      const { CloudbaseRoomStore } = require('./cloudbase/cloudbase-room-store') as typeof import('./cloudbase/cloudbase-room-store');
      // schema.ts requires the three values when STORE=cloudbase
      return new CloudbaseRoomStore({
        env: config.CLOUDBASE_ENV!, secretId: config.CLOUDBASE_SECRET_ID!, secretKey: config.CLOUDBASE_SECRET_KEY!,
        serviceUrl: config.CLOUDBASE_SERVICE_URL, log: log ?? createLogger(config.LOG_LEVEL),
      });
    }
  }
}

/** The chat's messages and like totals, in the same database as the rooms (same file, or same CloudBase env). */
export function openChatStore(config: Config, log?: Logger): ChatStore {
  switch (config.STORE) {
    case 'sqlite':
      return new SqliteChatStore(join(config.DATA_DIR, 'wxlive.db'));
    case 'cloudbase': {
      const { CloudbaseChatStore } = require('./cloudbase/cloudbase-chat-store') as typeof import('./cloudbase/cloudbase-chat-store');
      return new CloudbaseChatStore({
        env: config.CLOUDBASE_ENV!, secretId: config.CLOUDBASE_SECRET_ID!, secretKey: config.CLOUDBASE_SECRET_KEY!,
        serviceUrl: config.CLOUDBASE_SERVICE_URL, log: log ?? createLogger(config.LOG_LEVEL),
      });
    }
  }
}

/** The webhook outbox, in the same database as the rooms (same file, or same CloudBase env). */
export function openWebhookStore(config: Config, log?: Logger): WebhookStore {
  switch (config.STORE) {
    case 'sqlite':
      return new SqliteWebhookStore(join(config.DATA_DIR, 'wxlive.db'));
    case 'cloudbase': {
      const { CloudbaseWebhookStore } = require('./cloudbase/cloudbase-webhook-store') as typeof import('./cloudbase/cloudbase-webhook-store');
      return new CloudbaseWebhookStore({
        env: config.CLOUDBASE_ENV!, secretId: config.CLOUDBASE_SECRET_ID!, secretKey: config.CLOUDBASE_SECRET_KEY!,
        serviceUrl: config.CLOUDBASE_SERVICE_URL, log: log ?? createLogger(config.LOG_LEVEL),
      });
    }
  }
}

/** Co-hosting requests and line-ups (issue 15), in the same database as the rooms. */
export function openCohostStore(config: Config, log?: Logger): CohostStore {
  switch (config.STORE) {
    case 'sqlite':
      return new SqliteCohostStore(join(config.DATA_DIR, 'wxlive.db'));
    case 'cloudbase': {
      const { CloudbaseCohostStore } = require('./cloudbase/cloudbase-cohost-store') as typeof import('./cloudbase/cloudbase-cohost-store');
      return new CloudbaseCohostStore({
        env: config.CLOUDBASE_ENV!, secretId: config.CLOUDBASE_SECRET_ID!, secretKey: config.CLOUDBASE_SECRET_KEY!,
        serviceUrl: config.CLOUDBASE_SERVICE_URL, log: log ?? createLogger(config.LOG_LEVEL),
      });
    }
  }
}
