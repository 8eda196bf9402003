// @ts-check
// The node flags of package.json's start script (`node --flag … dist/server/main.js`), so the bench and the
// process tests run the server exactly as `npm start` does.
'use strict';

const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** @returns {string[]} */
function startNodeFlags() {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  const start = String(pkg.scripts?.start ?? '');
  const words = start.trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`package.json start script is not \`node …\`: ${start}`);
  const flags = [];
  for (const w of words.slice(1)) {
    if (!w.startsWith('--')) break;
    flags.push(w);
  }
  return flags;
}

module.exports = { startNodeFlags };
