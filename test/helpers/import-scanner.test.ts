// The guards built on the scanner (layering, HLS purity) only mean something if it sees every import form.
import { isOneOf, scanImports } from './import-scanner';

const specs = (source: string) => scanImports(source).specifiers;

test('single and double quotes, side-effect imports and namespace imports', () => {
  expect(specs(`import { a } from 'single';\nimport * as b from "double";\nimport 'side-effect';\nimport "side-double";`))
    .toEqual(['single', 'double', 'side-effect', 'side-double']);
});

test('import type, inline type imports and typeof import() types', () => {
  expect(specs([
    "import type { Context } from 'koa';",
    'import { type Next, x } from "@koa/router";',
    "type Db = typeof import('better-sqlite3');",
  ].join('\n'))).toEqual(['koa', '@koa/router', 'better-sqlite3']);
});

test('export … from, export * and export * as', () => {
  expect(specs(`export { a } from 'one';\nexport * from "two";\nexport * as three from 'three';\nexport type { T } from 'four';`))
    .toEqual(['one', 'two', 'three', 'four']);
});

test('require(), import x = require() and dynamic import(), with odd spacing and template literals', () => {
  expect(specs([
    "const k = require('koa');",
    'const r = require ( "@koa/router" );',
    "import fs = require('node:fs');",
    "async function f() { return import('http'); }",
    'const n = await import ( "net" );',
    'const c = require(`child_process`);',
  ].join('\n'))).toEqual(['koa', '@koa/router', 'node:fs', 'http', 'net', 'child_process']);
});

test('multi-line imports and exports', () => {
  expect(specs([
    'import {',
    '  alpha,',
    '  beta,',
    '} from',
    '  "multi-import";',
    'export {',
    '  gamma,',
    "} from 'multi-export';",
    'const x = require(',
    "  'multi-require',",
    ');',
  ].join('\n'))).toEqual(['multi-import', 'multi-export', 'multi-require']);
});

test('comments and strings that only look like imports are not imports', () => {
  const source = [
    "// import koa from 'koa';",
    "/* const k = require('koa'); */",
    '/**',
    " * export * from 'koa';",
    ' */',
    "const hint = \"import x from 'koa'\";",
    "const doc = `require('koa') and import('koa')`;",
    "const from = 'koa';",
    "const other = { require: (m: string) => m }.require('koa');",
    "import real from 'real';",
  ].join('\n');
  expect(scanImports(source)).toEqual({ specifiers: ['real'], computed: [] });
});

test('a require() or import() of a computed name is reported, since nobody can tell what it loads', () => {
  expect(scanImports("const m = require(name);\nconst n = await import(`./x/${y}`);\nconst o = require('ok');"))
    .toEqual({ specifiers: ['ok'], computed: ['name', '`./x/${y}`'] });
});

test('isOneOf matches the module, its subpaths and the node: prefix, not look-alikes', () => {
  const forbidden = ['fs', 'koa', '@koa'];
  expect(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'koa', 'koa/lib/x', '@koa/router'].filter((s) => !isOneOf(s, forbidden)))
    .toEqual([]);
  expect(['fsevents', 'koa-body', '@koala/x', './fs', 'node:net'].filter((s) => isOneOf(s, forbidden))).toEqual([]);
});
