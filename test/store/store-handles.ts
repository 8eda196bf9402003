// How a store contract suite opens its store: on a temp SQLite file, or through the real @cloudbase/node-sdk
// against the local CloudBase wire double; `second()` opens another handle on the same data (another process or
// node), and `close()` closes every handle and removes what was made.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { startCloudbaseWireServer } from '../helpers/cloudbase-wire-server';

export interface StoreHandles<S> {
  store: S;
  second(): Promise<S>;
  close(): Promise<void>;
}

interface Closable { close(): Promise<void> }

function handlesOf<S extends Closable>(open: () => S, cleanup: () => Promise<void> | void): StoreHandles<S> {
  const handles: S[] = [open()];
  return {
    store: handles[0]!,
    async second() {
      handles.push(open());
      return handles[handles.length - 1]!;
    },
    async close() {
      for (const h of handles) await h.close();
      await cleanup();
    },
  };
}

/** Handles on one `wxlive.db` in a fresh temp folder named after `prefix`. */
export function sqliteHandles<S extends Closable>(prefix: string, open: (file: string) => S): StoreHandles<S> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'wxlive.db');
  return handlesOf(() => open(file), () => rmSync(dir, { recursive: true, force: true }));
}

export interface CloudbaseOptions { env: string; secretId: string; secretKey: string; serviceUrl: string; log: Logger }

/** Handles on a fresh CloudBase wire double. */
export async function cloudbaseHandles<S extends Closable>(open: (o: CloudbaseOptions) => S): Promise<StoreHandles<S>> {
  const db = await startCloudbaseWireServer();
  const o = { env: db.env, secretId: db.secretId, secretKey: db.secretKey, serviceUrl: db.serviceUrl, log: pino({ level: 'silent' }) };
  return handlesOf(() => open(o), () => db.close());
}
