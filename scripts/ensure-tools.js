#!/usr/bin/env node
// Makes sure the real peers the tests use are installed: ffmpeg/ffprobe, rtmpdump, redis-server, chromium, and a Chinese font
// (the zh-CN page screenshots would show empty boxes without one).
// As root it installs what is missing with apt-get; otherwise it fails loudly, naming the packages.
'use strict';
const { execSync, spawnSync } = require('node:child_process');

const TOOLS = [
  { bin: 'ffmpeg', pkg: 'ffmpeg' },
  { bin: 'ffprobe', pkg: 'ffmpeg' },
  { bin: 'rtmpdump', pkg: 'rtmpdump' },
  // BUS=redis tests start a real redis-server on a loopback port
  { bin: 'redis-server', pkg: 'redis-server' },
  { bin: 'chromium', pkg: 'chromium' },
  { bin: 'font:zh', pkg: 'fonts-wqy-microhei' },
];

const hasChineseFont = () => /\S/.test(spawnSync('sh', ['-c', 'fc-list :lang=zh 2>/dev/null'], { encoding: 'utf8' }).stdout ?? '');
const has = (bin) => (bin === 'font:zh' ? hasChineseFont()
  : spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0);
const missing = [...new Set(TOOLS.filter((t) => !has(t.bin)).map((t) => t.pkg))];

if (missing.length === 0) process.exit(0);
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.error(`ensure-tools: installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync('apt-get update -qq', { stdio: 'inherit', env });
  execSync(`apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit', env });
  const still = TOOLS.filter((t) => !has(t.bin)).map((t) => t.bin);
  if (still.length) {
    console.error(`ensure-tools: still missing after install: ${still.join(', ')}`);
    process.exit(1);
  }
  process.exit(0);
}
console.error(`ensure-tools: the tests need ${missing.join(', ')} (Debian packages) and this user cannot install them.`);
console.error(`ensure-tools: run as root, or: sudo apt-get install ${missing.join(' ')}`);
process.exit(1);
