// @ts-check
// The baseline: a private nginx + nginx-rtmp-module (Debian libnginx-mod-rtmp) started by the bench with a
// generated config (one worker, `live on; hls on;`), on an ephemeral loopback port, in a temp prefix; its
// `http {}` serves the hls_path the way nginx-rtmp's docs set it up (sendfile), for workload (e). With `vodFile`, the
// seed article's `application vod { play <dir>; }` plays that file as rtmp://…/vod/<name>, for workload (g).
'use strict';

const { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } = require('node:fs');
const { execFileSync, spawnSync } = require('node:child_process');
const { tmpdir } = require('node:os');
const { basename, join } = require('node:path');
const children = require('./children');
const { freePort, waitListening } = require('./ports');

const MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

/** Why the baseline cannot run here, or null when it can. */
function nginxMissing() {
  try { execFileSync('nginx', ['-v'], { stdio: 'ignore' }); } catch { return 'nginx is not installed (apt-get install nginx)'; }
  if (!existsSync(MODULE)) return `${MODULE} is missing (apt-get install libnginx-mod-rtmp)`;
  return null;
}

/** nginx -v prints to stderr: "nginx version: nginx/1.22.1" */
function nginxVersion() {
  const r = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  return `${r.stderr ?? ''}${r.stdout ?? ''}`.replace(/^nginx version:\s*/, '').trim() || 'nginx';
}

/**
 * @param {{ fragmentS: number, playlistS: number, vodFile?: string }} opts
 * @returns {Promise<import('./target').Target>}
 */
async function startNginx(opts) {
  const prefix = children.trackDir(mkdtempSync(join(tmpdir(), 'wxlive-bench-nginx-')));
  const hls = join(prefix, 'hls');
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  mkdirSync(hls);
  const vod = join(prefix, 'vod');
  mkdirSync(vod);
  if (opts.vodFile) copyFileSync(opts.vodFile, join(vod, basename(opts.vodFile)));
  const port = await freePort();
  const httpPort = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, [
    // as root the worker would drop to `nobody` and could not write the HLS dir inside our 0700 temp prefix
    process.getuid?.() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    `load_module ${MODULE};`,
    `error_log ${join(prefix, 'error.log')} warn;`,
    `pid ${join(prefix, 'nginx.pid')};`,
    'events { worker_connections 4096; }',
    'rtmp {',
    '  server {',
    `    listen 127.0.0.1:${port};`,
    '    chunk_size 4096;',
    '    application live {',
    '      live on;',
    '      hls on;',
    `      hls_path ${hls};`,
    `      hls_fragment ${opts.fragmentS}s;`,
    `      hls_playlist_length ${opts.playlistS}s;`,
    '    }',
    '    application vod {',
    `      play ${vod};`,
    '    }',
    '  }',
    '}',
    'http {',
    '  access_log off;', // wxlive logs no request either (LOG_LEVEL=warn)
    '  sendfile on;',
    '  tcp_nopush on;',
    '  keepalive_requests 100000;',
    '  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }',
    '  server {',
    `    listen 127.0.0.1:${httpPort};`,
    '    location /hls/ {',
    `      alias ${hls}/;`,
    '      add_header Cache-Control no-cache;',
    "      add_header Access-Control-Allow-Origin '*';",
    '    }',
    '  }',
    '}',
    '',
  ].join('\n'));
  const proc = children.start('nginx',
    ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', conf, '-g', 'daemon off; master_process on;'],
    { name: 'nginx' });
  const dead = () => (proc.exitCode !== null ? `nginx exited (${proc.exitCode}): ${proc.tail()}` : null);
  await waitListening(port, 10_000, dead);
  await waitListening(httpPort, 5_000, dead);
  const base = `rtmp://127.0.0.1:${port}/live`;
  return {
    name: 'nginx-rtmp',
    pid: /** @type {number} */ (proc.pid),
    hlsRoot: hls,
    isPlaylist: (f) => /^s\d+\.m3u8$/.test(f),
    isSegment: (f) => /^s\d+-\d+\.ts$/.test(f),
    async addStream(i) {
      return { publishUrl: `${base}/s${i}`, play: { rtmp: `${base}/s${i}`, hls: `http://127.0.0.1:${httpPort}/hls/s${i}.m3u8` } };
    },
    ...(opts.vodFile ? { vodUrl: async () => `rtmp://127.0.0.1:${port}/vod/${basename(/** @type {string} */ (opts.vodFile))}` } : {}),
    alive: () => dead() === null,
    diagnostics: () => proc.tail(),
    async stop() {
      await children.stop(proc, 5000);
      children.removeDir(prefix);
    },
  };
}

module.exports = { startNginx, nginxMissing, nginxVersion };
