// The webhook store contract on both implementations: SQLite on a temp file (beside the rooms, as the server
// opens it) and CloudBase through the real @cloudbase/node-sdk against the local wire double.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config';
import { CloudbaseWebhookStore } from '../../server/store/cloudbase/cloudbase-webhook-store';
import { openWebhookStore } from '../../server/store/open-store';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';
import { SqliteWebhookStore } from '../../server/store/sqlite/sqlite-webhook-store';
import { keepSdkOnLoopback } from '../helpers/cloudbase-wire-server';
import { cloudbaseHandles, sqliteHandles } from './store-handles';
import { delivery, runWebhookStoreContract } from './webhook-store-contract';

keepSdkOnLoopback();

runWebhookStoreContract('sqlite', async () => sqliteHandles('wxlive-webhooks-', (file) => new SqliteWebhookStore(file)));

runWebhookStoreContract('cloudbase (real @cloudbase/node-sdk over the CloudBase wire protocol)', () => cloudbaseHandles((o) => new CloudbaseWebhookStore(o)));

test('openWebhookStore (STORE=sqlite) keeps the outbox in DATA_DIR/wxlive.db, beside the rooms', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-webhooks-'));
  try {
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const rooms = new SqliteRoomStore(join(dir, 'wxlive.db'));
    const outbox = openWebhookStore(config);
    const row = delivery();
    await outbox.enqueue([row]);
    await outbox.close();
    await rooms.close();
    const again = new SqliteWebhookStore(join(dir, 'wxlive.db'));
    expect(await again.list({ limit: 5 })).toEqual([row]);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
