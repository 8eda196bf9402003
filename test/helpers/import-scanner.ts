// Which modules a source file names, for the layering and purity guards. Read with the TypeScript parser
// rather than a regex, so quotes, line breaks and `import type` do not matter, and comments or strings that
// only look like imports are not counted.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface ImportScan {
  /** every literal module specifier, in source order: import/export … from, import 'x', import type,
   * import x = require(), require(), import() and `typeof import('x')` types */
  specifiers: string[];
  /** require()/import() whose argument is not a literal: a guard cannot see what they load */
  computed: string[];
}

export function scanImports(source: string, fileName = 'scanned.ts'): ImportScan {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const computed: string[] = [];
  const literal = (e: ts.Node | undefined): string | null =>
    e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : null;
  const loaded = (arg: ts.Expression | undefined) => {
    const spec = literal(arg);
    if (spec !== null) specifiers.push(spec);
    else computed.push(arg ? arg.getText(file) : '');
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      const spec = literal(node.moduleSpecifier);
      if (spec !== null) specifiers.push(spec);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      loaded(node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) loaded(node.arguments[0]);
      else if (ts.isIdentifier(callee) && callee.text === 'require') loaded(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const spec = literal(node.argument.literal);
      if (spec !== null) specifiers.push(spec);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { specifiers, computed };
}

/** `spec` is one of `modules` or a subpath of one ("node:fs" ~ "fs", "@koa/router" ~ "@koa"). */
export function isOneOf(spec: string, modules: readonly string[]): boolean {
  const bare = spec.replace(/^node:/, '');
  return modules.some((m) => bare === m || bare.startsWith(`${m}/`));
}

/** Every .ts file under `dir`, recursively. */
export function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFilesUnder(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}
