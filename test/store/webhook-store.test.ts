// The webhook store contract on both implementations: SQLite on a temp file (beside the rooms, as the server
// opens it) and CloudBase through the real @cloudbase/node-sdk against the local wire double.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../server/config';
import { CloudbaseWebhookStore } from '../../server/store/cloudbase/cloudbase-webhook-store';
import { openWebhookStore } from '../../server/store/open-store';
import { SqliteRoomStore } from '../../server/store/sqlite/sqlite-room-store';
import { SqliteWebhookStore } from '../../server/store/sqlite/sqlite-webhook-store';
import type { WebhookStore } from '../../server/store/webhook-store';
import { keepSdkOnLoopback, startCloudbaseWireServer } from '../helpers/cloudbase-wire-server';
import { delivery, runWebhookStoreContract } from './webhook-store-contract';

keepSdkOnLoopback();

runWebhookStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-webhooks-'));
  const file = join(dir, 'wxlive.db');
  const handles: WebhookStore[] = [new SqliteWebhookStore(file)];
  return {
    store: handles[0]!,
    async second() {
      handles.push(new SqliteWebhookStore(file));
      return handles[handles.length - 1]!;
    },
    async close() {
      for (const h of handles) await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

runWebhookStoreContract('cloudbase (real @cloudbase/node-sdk over the CloudBase wire protocol)', async () => {
  const db = await startCloudbaseWireServer();
  const open = () => new CloudbaseWebhookStore({
    env: db.env, secretId: db.secretId, secretKey: db.secretKey, serviceUrl: db.serviceUrl, log: pino({ level: 'silent' }),
  });
  const handles: WebhookStore[] = [open()];
  return {
    store: handles[0]!,
    async second() {
      handles.push(open());
      return handles[handles.length - 1]!;
    },
    async close() {
      for (const h of handles) await h.close();
      await db.close();
    },
  };
});

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
