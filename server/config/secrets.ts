// Secrets generated on first start and kept under DATA_DIR (mode 0600), so restarts keep URLs and tokens valid.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Secrets {
  signingSecret: string;
  adminToken: string;
  /** where the admin token is kept, printed at startup (the token itself never is) */
  adminTokenFile: string | null;
}

export const SIGNING_SECRET_FILE = 'signing-secret';
export const ADMIN_TOKEN_FILE = 'admin-token';

function readSecret(file: string): string | null {
  try {
    const value = readFileSync(file, 'utf8').trim();
    // a copy restored with a wider mode is narrowed again: only this user may read it
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return value.length > 0 ? value : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Puts `value` at `file` complete or not at all: written to a temporary file, then hard-linked into place,
 * which fails if the file exists. So a process starting at the same moment never reads a half-written
 * secret, and two of them never keep different ones. `replace` renames over an existing (empty) file.
 */
function publish(file: string, value: string, replace: boolean): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, value + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600); // umask may have widened the mode
  try {
    if (replace) renameSync(tmp, file);
    else linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readOrCreate(file: string, make: () => string): string {
  const existing = readSecret(file);
  if (existing !== null) return existing;
  const value = make();
  if (publish(file, value, false)) return value;
  // another process got there first, or an empty file is in the way
  const theirs = readSecret(file);
  if (theirs !== null) return theirs;
  publish(file, value, true);
  return value;
}

export function loadSecrets(dataDir: string, given: { signingSecret?: string; adminToken?: string }): Secrets {
  mkdirSync(dataDir, { recursive: true });
  const signingSecret = given.signingSecret
    ?? readOrCreate(join(dataDir, SIGNING_SECRET_FILE), () => randomBytes(32).toString('base64url'));
  const adminTokenFile = given.adminToken ? null : join(dataDir, ADMIN_TOKEN_FILE);
  const adminToken = given.adminToken ?? readOrCreate(adminTokenFile!, () => randomBytes(24).toString('base64url'));
  return { signingSecret, adminToken, adminTokenFile };
}
