// The chat store contract on both implementations: SQLite on a temp file (beside the rooms, as the server
// opens it) and CloudBase through the real @cloudbase/node-sdk against the local wire double.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../server/config';
import { CloudbaseChatStore } from '../../server/store/cloudbase/cloudbase-chat-store';
import { openChatStore } from '../../server/store/open-store';
import { MIGRATIONS } from '../../server/store/sqlite/migrations';
import { SqliteChatStore } from '../../server/store/sqlite/sqlite-chat-store';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';
import { keepSdkOnLoopback } from '../helpers/cloudbase-wire-server';
import { cloudbaseHandles, sqliteHandles } from './store-handles';
import { message, runChatStoreContract } from './chat-store-contract';

keepSdkOnLoopback();

runChatStoreContract('sqlite', async () => sqliteHandles('wxlive-chat-', (file) => new SqliteChatStore(file)));

runChatStoreContract('cloudbase (real @cloudbase/node-sdk over the CloudBase wire protocol)', () => cloudbaseHandles((o) => new CloudbaseChatStore(o)));

describe('SQLite chat tables', () => {
  test('a database of the rooms-only schema gains the chat tables, and the rooms store and chat store share one file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxlive-chat-'));
    try {
      const file = join(dir, 'wxlive.db');
      const old = new Database(file);
      old.exec(MIGRATIONS[0]!);
      old.exec(MIGRATIONS[1]!);
      old.pragma('user_version = 2');
      old.close();
      const rooms = new SqliteRoomStore(file);
      const chat = new SqliteChatStore(file);
      await chat.addMessage(message('r1'));
      expect(await chat.listMessages('r1', { limit: 5 })).toHaveLength(1);
      await rooms.close();
      await chat.close();
      const db = new Database(file, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('openChatStore (STORE=sqlite) keeps the chat in DATA_DIR/wxlive.db, beside the rooms', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-chat-'));
  try {
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const chat = openChatStore(config);
    const m = message('r2');
    await chat.addMessage(m);
    await chat.close();
    const again = new SqliteChatStore(join(dir, 'wxlive.db'));
    expect(await again.listMessages('r2', { limit: 5 })).toEqual([m]);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
