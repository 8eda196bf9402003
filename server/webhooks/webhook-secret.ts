// WEBHOOK_SECRET: the configured one, else one generated on first start and kept in DATA_DIR/webhook-secret
// (mode 0600), like the signing secret and admin token of server/config/secrets.ts. Never logged.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WEBHOOK_SECRET_FILE = 'webhook-secret';

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The secret receivers verify signatures with: `given`, or the kept one (made now when there is none). */
export function webhookSecret(dataDir: string, given?: string): string {
  if (given) return given;
  const file = join(dataDir, WEBHOOK_SECRET_FILE);
  const kept = read(file);
  if (kept) return kept;
  // written whole to a temporary file, then linked into place: two processes starting at once keep one secret
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
  return read(file)!;
}
