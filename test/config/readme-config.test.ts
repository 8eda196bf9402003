// README's configuration and limits tables name exactly the variables the server reads, with the schema's defaults.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, parseEnv } from '../../server/config';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** rows of the tables under `## <heading>` that name a variable: [variable, default cell] */
function tableRows(heading: string): [string, string][] {
  const section = README.split(new RegExp(`^## ${heading}$`, 'm'))[1]?.split(/^## /m)[0] ?? '';
  return section.split('\n')
    .filter((l) => /^\| `[A-Z0-9_]+` \|/.test(l))
    .map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return [cells[1]!.replace(/`/g, ''), cells[2]!];
    });
}

/** A default written as a literal (not described in words: generated, derived or none) must be the schema's. */
function expectLiteralDefaults(rows: [string, string][]): void {
  const defaults = parseEnv({}) as Record<string, unknown>;
  for (const [name, cell] of rows) {
    const literal = /^`([^`]*)`$/.exec(cell)?.[1];
    if (literal === undefined) continue;
    const actual = defaults[name];
    const shown = typeof actual === 'boolean' ? (actual ? 'on' : 'off') : String(actual);
    expect(`${name}=${literal}`).toBe(`${name}=${shown}`);
  }
}

test('the table lists every variable of CONFIG_VARIABLES exactly once, and nothing else', () => {
  const names = tableRows('Configuration').map(([n]) => n);
  expect(names.length).toBeGreaterThan(0);
  expect(new Set(names).size).toBe(names.length);
  expect([...names].sort()).toEqual([...CONFIG_VARIABLES].sort());
});

test('defaults written as literals match the schema', () => {
  expectLiteralDefaults(tableRows('Configuration'));
});

test('the Limits table says what a client sees for every limit setting, with the schema defaults', () => {
  const rows = tableRows('Limits');
  const names = rows.map(([n]) => n);
  const limitSettings = CONFIG_VARIABLES.filter((v) =>
    /^(HTTP_|RTMP_(MAX|PUBLISHER|HANDSHAKE)|FLV_MAX|HLS_MAX|FILE_STREAMS|IDLE_VIEWER|PUBLISH_MAX|REPLAY_MAX|DISK_|LOGIN_|ROOM_CREATE|MAX_OPEN|COVER_UPLOADS|TRUSTED_PROXIES|METRICS_PUBLIC)/.test(v));
  expect(limitSettings.length).toBeGreaterThan(20);
  expect(names.filter((n) => !(CONFIG_VARIABLES as string[]).includes(n))).toEqual([]);
  expect(limitSettings.filter((v) => !names.includes(v))).toEqual([]);
  expectLiteralDefaults(rows);
});
