#!/usr/bin/env node
// Builds the web pages (watch page, admin console) with esbuild into dist/web. Filled in with the pages.
'use strict';
const { mkdirSync } = require('node:fs');
mkdirSync(require('node:path').join(__dirname, '..', 'dist', 'web'), { recursive: true });
