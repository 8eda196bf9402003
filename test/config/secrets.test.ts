// Generated secrets: created once under DATA_DIR with mode 0600, reused on the next start.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'wxlive-secrets-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const mode = (file: string) => statSync(file).mode & 0o777;

test('first start generates both secrets, mode 0600, in DATA_DIR (created if missing)', () => {
  const dataDir = join(dir, 'data', 'deeper');
  const config = loadConfig({ DATA_DIR: dataDir });
  expect(config.DATA_DIR).toBe(dataDir);
  const signing = join(dataDir, 'signing-secret');
  const admin = join(dataDir, 'admin-token');
  expect(config.secrets.adminTokenFile).toBe(admin);
  expect(mode(signing)).toBe(0o600);
  expect(mode(admin)).toBe(0o600);
  expect(readFileSync(signing, 'utf8').trim()).toBe(config.secrets.signingSecret);
  expect(readFileSync(admin, 'utf8').trim()).toBe(config.secrets.adminToken);
  expect(config.secrets.signingSecret.length).toBeGreaterThanOrEqual(32);
  expect(config.secrets.adminToken.length).toBeGreaterThanOrEqual(16);
  expect(config.secrets.signingSecret).not.toBe(config.secrets.adminToken);
});

test('the next start reuses them; another DATA_DIR gets different ones', () => {
  const a = loadConfig({ DATA_DIR: dir });
  const b = loadConfig({ DATA_DIR: dir });
  expect(b.secrets).toEqual(a.secrets);
  const other = loadConfig({ DATA_DIR: join(dir, 'other') });
  expect(other.secrets.signingSecret).not.toBe(a.secrets.signingSecret);
  expect(other.secrets.adminToken).not.toBe(a.secrets.adminToken);
});

test('a file restored with a wider mode is narrowed to 0600 and still used', () => {
  const first = loadConfig({ DATA_DIR: dir });
  chmodSync(join(dir, 'admin-token'), 0o644);
  const again = loadConfig({ DATA_DIR: dir });
  expect(again.secrets.adminToken).toBe(first.secrets.adminToken);
  expect(mode(join(dir, 'admin-token'))).toBe(0o600);
});

test('an empty secret file is refilled rather than used', () => {
  writeFileSync(join(dir, 'signing-secret'), '\n');
  const config = loadConfig({ DATA_DIR: dir });
  expect(config.secrets.signingSecret.length).toBeGreaterThanOrEqual(32);
  expect(readFileSync(join(dir, 'signing-secret'), 'utf8').trim()).toBe(config.secrets.signingSecret);
});

test('secrets given in the environment win and the admin token is not written', () => {
  const config = loadConfig({ DATA_DIR: dir, SIGNING_SECRET: 's'.repeat(40), ADMIN_TOKEN: 't'.repeat(20) });
  expect(config.secrets).toEqual({ signingSecret: 's'.repeat(40), adminToken: 't'.repeat(20), adminTokenFile: null });
  expect(() => statSync(join(dir, 'admin-token'))).toThrow();
  expect(() => statSync(join(dir, 'signing-secret'))).toThrow();
});

test('a DATA_DIR where secrets cannot be kept is a ConfigError naming DATA_DIR', () => {
  // a file where the directory should be fails for every user, root included (root ignores modes)
  writeFileSync(join(dir, 'file'), 'x');
  let caught: unknown;
  try { loadConfig({ DATA_DIR: join(dir, 'file') }); } catch (err) { caught = err; }
  expect(caught).toBeInstanceOf(ConfigError);
  expect((caught as Error).message).toMatch(/^invalid configuration: DATA_DIR: /);
});
