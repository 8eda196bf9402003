// README "Scaling out" against the config validation: the variables it lists exist, cover the CloudBase
// and Tencent settings, and the ones it calls required are exactly the ones startup refuses to go without.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, parseEnv } from '../../server/config';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = /^## Scaling out\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? '';

interface Row { names: string[]; required: boolean }
const rows: Row[] = section.split('\n')
  .filter((l) => /^\|\s*`[A-Z][A-Z0-9_]*`/.test(l))
  .map((l) => {
    const [first = '', required = ''] = l.split('|').slice(1).map((c) => c.trim());
    return { names: [...first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!), required: /^yes\b/.test(required) };
  });
const documented = rows.flatMap((r) => r.names);
const requiredDocumented = rows.filter((r) => r.required).flatMap((r) => r.names).sort();

test('README has a "Scaling out" section with a table of variables', () => {
  expect(section).toMatch(/load balancer/i);
  expect(rows.length).toBeGreaterThanOrEqual(10);
});

test('every variable in the table is one the server reads, and every CloudBase/Tencent variable is there', () => {
  expect(documented.filter((v) => !(CONFIG_VARIABLES as string[]).includes(v))).toEqual([]);
  const mustAppear = CONFIG_VARIABLES.filter((v) => /^(CLOUDBASE_|TENCENT_)/.test(v))
    .concat(['STORE', 'MEDIA_PROVIDER', 'SIGNING_SECRET', 'ADMIN_TOKEN', 'RECONNECT_GRACE_S']);
  expect(mustAppear.filter((v) => !documented.includes(v))).toEqual([]);
});

test('"required" in the table is exactly what startup requires for STORE=cloudbase and MEDIA_PROVIDER=tencent', () => {
  let problems: string[] = [];
  try {
    parseEnv({ STORE: 'cloudbase', MEDIA_PROVIDER: 'tencent' });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems = err.problems;
  }
  const refused = problems.map((p) => /^[A-Z][A-Z0-9_]*/.exec(p)?.[0] ?? p);
  expect(['MEDIA_PROVIDER', 'STORE', ...refused].sort()).toEqual(requiredDocumented);

  // and those are enough: with a value for each, the configuration is accepted
  const env: Record<string, string> = { STORE: 'cloudbase', MEDIA_PROVIDER: 'tencent' };
  for (const v of refused) env[v] = /DOMAIN/.test(v) ? 'live.example.com' : 'value-0123456789';
  expect(parseEnv(env)).toMatchObject({ STORE: 'cloudbase', MEDIA_PROVIDER: 'tencent' });
});
