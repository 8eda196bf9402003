// Secrets generated on first start and kept under DATA_DIR (mode 0600), so restarts keep URLs and tokens valid.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Secrets {
  signingSecret: string;
  adminToken: string;
  /** where the admin token is kept, printed at startup (the token itself never is) */
  adminTokenFile: string | null;
}

function readOrCreate(file: string, make: () => string): string {
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    if (value.length > 0) return value;
  }
  const value = make();
  writeFileSync(file, value + '\n', { mode: 0o600 });
  chmodSync(file, 0o600); // umask may have widened the mode
  return value;
}

export function loadSecrets(dataDir: string, given: { signingSecret?: string; adminToken?: string }): Secrets {
  mkdirSync(dataDir, { recursive: true });
  const signingSecret = given.signingSecret
    ?? readOrCreate(join(dataDir, 'signing-secret'), () => randomBytes(32).toString('base64url'));
  const adminTokenFile = given.adminToken ? null : join(dataDir, 'admin-token');
  const adminToken = given.adminToken ?? readOrCreate(adminTokenFile!, () => randomBytes(24).toString('base64url'));
  return { signingSecret, adminToken, adminTokenFile };
}
