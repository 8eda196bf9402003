// Server configuration: environment → validated, typed Config. One place reads process.env.
import { resolve } from 'node:path';
import { envSchema, type Env } from './schema';
import { loadSecrets, type Secrets } from './secrets';

export interface Config extends Omit<Env, 'SIGNING_SECRET' | 'ADMIN_TOKEN' | 'DATA_DIR'> {
  DATA_DIR: string;
  secrets: Secrets;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parse and validate the environment. Empty strings count as unset, as in most shells' `VAR= cmd`. */
export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    // name the variable, never echo its value: it may be a secret
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return result.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = parseEnv(env);
  const { SIGNING_SECRET, ADMIN_TOKEN, ...rest } = parsed;
  const dataDir = resolve(parsed.DATA_DIR);
  let secrets: Secrets;
  try {
    secrets = loadSecrets(dataDir, { signingSecret: SIGNING_SECRET, adminToken: ADMIN_TOKEN });
  } catch (err) {
    // an unwritable or odd DATA_DIR is a configuration problem: name the variable, not a stack
    throw new ConfigError([`DATA_DIR: cannot keep secrets in ${dataDir}: ${(err as Error).message}`]);
  }
  return { ...rest, DATA_DIR: dataDir, secrets };
}

export type { Env } from './schema';
export { CONFIG_VARIABLES } from './schema';
