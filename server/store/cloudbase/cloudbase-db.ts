// What every CloudBase store shares: how it connects (the options and the SDK's database handle), and how one
// call runs — a failure becomes a logged 503, and a collection that does not exist yet (a fresh environment) is
// created once and the call tried again.
import { init } from '@cloudbase/node-sdk';
import type { Logger } from 'pino';
import { sdkErrorCode, toStoreUnavailable } from './cloudbase-failure';

export const DEFAULT_TIMEOUT_MS = 5000;

export interface CloudbaseConnection {
  env: string;
  secretId: string;
  secretKey: string;
  /** another endpoint than Tencent's (a private gateway, or the local wire double in tests) */
  serviceUrl?: string;
  /** per-request timeout; a slow database becomes a 503, never a hung request */
  timeoutMs?: number;
  log: Logger;
}

export type CloudbaseDb = ReturnType<ReturnType<typeof init>['database']>;

export function openCloudbaseDb(c: CloudbaseConnection): CloudbaseDb {
  return init({
    env: c.env, secretId: c.secretId, secretKey: c.secretKey, timeout: c.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(c.serviceUrl ? { serviceUrl: c.serviceUrl } : {}),
  }).database();
}

/** Runs `fn` against `collection`; see the file's head. */
export async function cloudbaseCall<T>(db: CloudbaseDb, log: Logger, op: string, collection: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (sdkErrorCode(err) !== 'DATABASE_COLLECTION_NOT_EXIST') throw toStoreUnavailable(err, op, log);
  }
  try {
    await createCollection(db, log, collection);
    return await fn();
  } catch (err) {
    throw toStoreUnavailable(err, op, log);
  }
}

async function createCollection(db: CloudbaseDb, log: Logger, name: string): Promise<void> {
  try {
    await db.createCollection(name);
    log.info({ store: 'cloudbase', collection: name }, 'created the CloudBase collection');
  } catch (err) {
    // another node may have created it a moment ago
    if (!/ALREADY_EXIST/.test(sdkErrorCode(err) ?? '')) throw err;
  }
}
