// @ts-check
// wxlive under test: `node dist/server/main.js` (built by `npm run build`) with the node flags `npm start` uses,
// on ephemeral loopback ports with a temp DATA_DIR; streams are made the way a host makes them (login, create
// room, publish to the push URL).
'use strict';

const { copyFileSync, existsSync, mkdirSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { basename, join, resolve } = require('node:path');
const { startNodeFlags } = require('../../scripts/start-flags');
const children = require('./children');
const { freePort, waitListening } = require('./ports');

const ROOT = resolve(__dirname, '..', '..');
// BENCH_WXLIVE_MAIN benches another build (say a worktree of a branch) against the same baseline
const MAIN = process.env.BENCH_WXLIVE_MAIN ? resolve(process.env.BENCH_WXLIVE_MAIN) : join(ROOT, 'dist', 'server', 'main.js');

const START_NODE_FLAGS = startNodeFlags();

/**
 * @param {{ fragmentS: number, playlistS: number, replay: boolean, env?: Record<string, string>, nodeArgs?: string[], vodFile?: string }} opts
 * @returns {Promise<import('./target').Target>}
 */
async function startWxlive(opts) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm run bench does)`);
  const dataDir = children.trackDir(mkdtempSync(join(tmpdir(), 'wxlive-bench-data-')));
  const [port, rtmpPort] = [await freePort(), await freePort()];
  // (g): the file is in the library before the server starts, like a file dropped into nginx's `play` directory
  if (opts.vodFile) {
    mkdirSync(join(dataDir, 'vod'), { recursive: true });
    copyFileSync(opts.vodFile, join(dataDir, 'vod', basename(opts.vodFile)));
  }
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PORT: String(port), RTMP_PORT: String(rtmpPort), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
    PUBLIC_HTTP_URL: base, PUBLIC_RTMP_URL: `rtmp://127.0.0.1:${rtmpPort}/live`,
    HLS_FRAGMENT_S: String(opts.fragmentS), HLS_PLAYLIST_LENGTH_S: String(opts.playlistS),
    REPLAY: opts.replay ? 'on' : 'off', AUTH_MODE: 'dev', MEDIA_PROVIDER: 'embedded', STORE: 'sqlite',
    // every bench viewer shares 127.0.0.1: the per-address caps would stop it at 100 (FLV) / 64 (HLS)
    FLV_MAX_PER_IP: '100000', HLS_MAX_PER_IP: '100000', RTMP_MAX_PER_IP: '100000', FILE_STREAMS_MAX: '100000', VOD_MAX_PLAYERS: '100000', VOD_MAX_PER_IP: '100000',
    // the join burst and (e) put 1000 clients on one room and one server: above the per-room and total caps
    FLV_MAX_PER_ROOM: '100000', FLV_MAX_VIEWERS: '100000', RTMP_MAX_PER_ROOM: '100000', RTMP_MAX_CONNECTIONS: '100000',
    HTTP_MAX_CONNECTIONS: '100000', HTTP_MAX_PER_IP: '100000', HLS_MAX_PER_ROOM: '100000', HLS_MAX_REQUESTS: '100000',
    LOGIN_PER_IP_PER_MIN: '100000', LOGIN_PER_USER_PER_MIN: '100000',
    // one bench user creates every stream's room at once: the creation rate and open-room cap would stop it at 3
    ROOM_CREATE_PER_USER_PER_MIN: '100000', ROOM_CREATE_PER_IP_PER_MIN: '100000', MAX_OPEN_ROOMS_PER_HOST: '100000',
    // (f) puts 2000 room sockets of one address in one room
    CHAT_MAX_PER_IP: '100000', CHAT_MAX_PER_ROOM: '100000',
    ...opts.env,
  };
  const proc = children.start(process.execPath, [...START_NODE_FLAGS, ...(opts.nodeArgs ?? []), MAIN], { env, name: 'wxlive', keepStdout: true });
  const dead = () => (proc.exitCode !== null ? `wxlive exited (${proc.exitCode}): ${proc.tail().trim()}` : null);
  await waitListening(port, 15_000, dead);
  await waitListening(rtmpPort, 5_000, () => dead() ?? null).catch((e) => {
    throw new Error(`wxlive started but its RTMP ingest is not listening (${e.message}); is the embedded media plane in?`);
  });

  /** @param {string} path @param {{ method?: string, body?: object, token?: string }} [o] */
  const api = async (path, o = {}) => {
    const res = await fetch(base + path, {
      method: o.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
      body: o.body ? JSON.stringify(o.body) : undefined,
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`wxlive ${o.method ?? 'GET'} ${path} → ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
    return json;
  };
  /** @type {import('../../typings/api').LoginResponse} */
  const login = await api('/api/auth/login', { method: 'POST', body: { code: 'bench' } });

  return {
    name: 'wxlive',
    pid: /** @type {number} */ (proc.pid),
    hlsRoot: join(dataDir, 'hls'),
    isPlaylist: (f) => f === 'live.m3u8',
    isSegment: (f) => /^\d+\.ts$/.test(f),
    async addStream(i) {
      /** @type {import('../../typings/api').CreateRoomResponse} */
      const made = await api('/api/rooms', { method: 'POST', body: { title: `bench ${i}` }, token: login.token });
      /** @type {import('../../typings/api').PlayResponse} */
      const { play } = await api(`/api/rooms/${made.room.id}/play`);
      return { publishUrl: made.push.url, play: { flv: play.flv, rtmp: play.rtmp, hls: play.hls } };
    },
    /** a room for workload (f), and one signed-in user per sender (a per-user send rate applies) */
    async chatRoom(senders) {
      /** @type {import('../../typings/api').CreateRoomResponse} */
      const made = await api('/api/rooms', { method: 'POST', body: { title: 'bench chat' }, token: login.token });
      const tokens = [];
      for (let i = 0; i < senders; i++) tokens.push((await api('/api/auth/login', { method: 'POST', body: { code: `sender-${i}` } })).token);
      return { url: `ws://127.0.0.1:${port}/api/rooms/${made.room.id}/socket`, tokens };
    },
    /** the library file's RTMP URL, once the library lists it (its scan probes files found at start) */
    async vodUrl() {
      const name = basename(/** @type {string} */ (opts.vodFile));
      const until = Date.now() + 20_000;
      for (;;) {
        const listed = await fetch(`${base}/api/videos?limit=100`).then((r) => r.json()).catch(() => null);
        if (listed?.videos?.some((/** @type {{ name: string }} */ v) => v.name === name)) break;
        // not listed (or no library API in this build): play anyway, the RTMP answer says what is wrong
        if (Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      return `rtmp://127.0.0.1:${rtmpPort}/vod/${name}`;
    },
    alive: () => dead() === null,
    diagnostics: () => proc.tail().trim(),
    async stop() {
      await children.stop(proc, 8000);
      children.removeDir(dataDir);
    },
  };
}

module.exports = { startWxlive, START_NODE_FLAGS };
