// Secrets generated on first start and kept under DATA_DIR (mode 0600), so restarts keep URLs and tokens valid.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

function readOrCreate(file: string, make: () => string): string {
  const existing = readSecret(file);
  if (existing !== null) return existing;
  const value = make();
  try {
    // exclusive create: when two instances start at once, the second reads the first one's secret
    writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const theirs = readSecret(file);
    if (theirs !== null) return theirs;
    writeFileSync(file, value + '\n', { mode: 0o600 }); // an empty file was left behind: fill it
  }
  chmodSync(file, 0o600); // umask may have widened the mode
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
