#!/usr/bin/env node
// Builds the API reference page into dist/docs: Scalar's standalone bundle and the page's two small scripts under
// content-hashed names, a gzip copy of each, the HTML template, and manifest.json (server/api/openapi/docs-router.ts).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.join(__dirname, '..');
const PAGE = path.join(ROOT, 'server', 'api', 'openapi', 'page');
const OUT = path.join(ROOT, 'dist', 'docs');
/** the package's folder (its "exports" hide both the browser bundle and package.json from require.resolve) */
function packageDir(name) {
  let dir = path.dirname(require.resolve(name, { paths: [ROOT] }));
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = up;
  }
  return dir;
}
const SCALAR_DIR = packageDir('@scalar/api-reference');

function hashed(name, bytes) {
  const hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const file = name.replace(/\.js$/, `-${hash}.js`);
  fs.writeFileSync(path.join(OUT, file), bytes);
  fs.writeFileSync(path.join(OUT, `${file}.gz`), zlib.gzipSync(bytes, { level: 9 }));
  return file;
}

function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const manifest = {
    scalar: hashed('scalar.js', fs.readFileSync(path.join(SCALAR_DIR, 'dist', 'browser', 'standalone.js'))),
    init: hashed('init.js', fs.readFileSync(path.join(PAGE, 'init.js'))),
    styleNonce: hashed('style-nonce.js', fs.readFileSync(path.join(PAGE, 'style-nonce.js'))),
    page: 'docs.html',
    scalarVersion: JSON.parse(fs.readFileSync(path.join(SCALAR_DIR, 'package.json'), 'utf8')).version,
  };
  fs.copyFileSync(path.join(PAGE, 'docs.html'), path.join(OUT, 'docs.html'));
  fs.writeFileSync(path.join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

main();
