// A full disk under the database (SQLITE_FULL, or ENOSPC from the file system) is the client's 507, not our 500.
import { StorageFull } from '../../errors';

const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC']);

/** The StorageFull an SQLite error means, or null when it means something else. */
export function asStorageFull(err: unknown): StorageFull | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !FULL_CODES.has(code)) return null;
  return new StorageFull('The server has no room left to store this; try again later.', 'storage_full');
}

/** Runs one statement; a full disk becomes StorageFull (507), never a 500. */
export function writeOrFull<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asStorageFull(err) ?? err;
  }
}
