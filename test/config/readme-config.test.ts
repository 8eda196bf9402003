// README's configuration table names exactly the variables the server reads, with the schema's defaults.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, parseEnv } from '../../server/config';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** rows of the first table under "## Configuration": [variable, default cell] */
function configRows(): [string, string][] {
  const section = README.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  return section.split('\n')
    .filter((l) => /^\| `[A-Z0-9_]+` \|/.test(l))
    .map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return [cells[1]!.replace(/`/g, ''), cells[2]!];
    });
}

test('the table lists every variable of CONFIG_VARIABLES exactly once, and nothing else', () => {
  const names = configRows().map(([n]) => n);
  expect(names.length).toBeGreaterThan(0);
  expect(new Set(names).size).toBe(names.length);
  expect([...names].sort()).toEqual([...CONFIG_VARIABLES].sort());
});

test('defaults written as literals match the schema', () => {
  const defaults = parseEnv({}) as Record<string, unknown>;
  for (const [name, cell] of configRows()) {
    const literal = /^`([^`]*)`$/.exec(cell)?.[1];
    if (literal === undefined) continue; // described in words: generated, derived or none
    const actual = defaults[name];
    const shown = typeof actual === 'boolean' ? (actual ? 'on' : 'off') : String(actual);
    expect(`${name}=${literal}`).toBe(`${name}=${shown}`);
  }
});
