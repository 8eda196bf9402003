// The mini-program project as WeChat DevTools sees it: config, pages, and runtime imports that stay
// inside miniprogram/ (types from typings/ are erased; nothing outside the root is shipped).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const REPO = resolve(__dirname, '../..');
const ROOT = join(REPO, 'miniprogram');
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

test('project.config.json points DevTools at the TypeScript mini-program', () => {
  const cfg = json(join(REPO, 'project.config.json'));
  expect(cfg.miniprogramRoot).toBe('miniprogram/');
  expect(cfg.compileType).toBe('miniprogram');
  expect(cfg.setting.useCompilerPlugins).toEqual(['typescript']);
  expect(typeof cfg.appid).toBe('string');
});

test('every page in app.json has its four files and is built with Component()', () => {
  const app = json(join(ROOT, 'app.json'));
  expect(app.pages[0]).toBe('pages/rooms/index');
  expect(existsSync(join(ROOT, app.sitemapLocation))).toBe(true);
  for (const page of app.pages as string[]) {
    for (const ext of ['ts', 'wxml', 'wxss', 'json']) expect(existsSync(join(ROOT, `${page}.${ext}`))).toBe(true);
    expect(json(join(ROOT, `${page}.json`)).usingComponents).toEqual({});
    expect(readFileSync(join(ROOT, `${page}.ts`), 'utf8')).toMatch(/^Component\(\{/m);
  }
});

test('runtime imports resolve inside miniprogram/ (only `import type` reaches typings/)', () => {
  const files = tsFiles(ROOT);
  expect(files.length).toBeGreaterThan(10);
  const outside: string[] = [];
  let typeImportsOfTypings = 0;
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    if (/import type [^;]+typings\/api/.test(source)) typeImportsOfTypings += 1;
    // what the DevTools TypeScript plugin emits: each file on its own, types erased
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018, isolatedModules: true },
    }).outputText;
    for (const [, spec] of js.matchAll(/require\("([^"]+)"\)/g)) {
      const target = resolve(dirname(file), spec);
      const inside = !relative(ROOT, target).startsWith('..') && existsSync(`${target}.ts`);
      if (!inside) outside.push(`${relative(REPO, file)} → ${spec}`);
    }
  }
  expect(outside).toEqual([]);
  expect(typeImportsOfTypings).toBeGreaterThan(3);
});
