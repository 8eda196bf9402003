// @ts-check
// Bench parameters from the command line (after `npm run bench --`) or BENCH_* environment variables.
'use strict';

const USAGE = `usage: npm run bench -- [options]
  --quick              smoke run: 3 publishers, 30 viewers, 50 burst, 30 HLS clients, 200 chat sockets, 5 s window, 3 s warm-up
  --publishers N       HLS publishers in workload (a)        [BENCH_PUBLISHERS, default 20]
  --viewers V          HTTP-FLV / RTMP viewers in (b)        [BENCH_VIEWERS, default 300]
  --burst V            viewers joining within one second, (b)'s join burst [BENCH_BURST, default 1000]
  --hls-clients LIST   HLS player counts in (e)              [BENCH_HLS_CLIENTS, default 300,1000]
  --chat-sockets N     room sockets in (f)                   [BENCH_CHAT_SOCKETS, default 2000]
  --chat-senders N     senders at 1 message/s in (f)         [BENCH_CHAT_SENDERS, default 20]
  --vod-viewers N      RTMP VOD viewers of one file in (g)   [BENCH_VOD_VIEWERS, default 50]
  --window S           measurement window, seconds           [BENCH_WINDOW_S, default 15]
  --warmup S           warm-up before each window, seconds   [BENCH_WARMUP_S, default 5]
  --merge LIST         wxlive FLV_MERGE_MS values for (b)    [BENCH_FLV_MERGE_MS, default 100,0]
  --only NAME          run one server: wxlive | nginx
  --workload W         run one workload: a (publishers, with c) | b (viewers, with d and the burst) | e (HLS clients) | f (chat) | g (RTMP VOD)
  --no-rtmp-viewers    skip the wxlive RTMP-viewer run of (b)
  --replay             run wxlive with REPLAY=on (default off, like nginx's hls without a VOD playlist)
  --strict             exit 1 when a target is missed
  --node-args 'ARGS'   extra node flags for wxlive, e.g. '--max-semi-space-size=4' [BENCH_NODE_ARGS]
  --cpu-prof DIR       write a V8 CPU profile of every wxlive run into DIR (open in Chrome DevTools)
  --rounds K           repeat every workload K times, servers interleaved; medians [BENCH_ROUNDS, default 1]
  env BENCH_WXLIVE_MAIN=path/to/dist/server/main.js benches another wxlive build
  --fragment S         HLS fragment length on both servers [default 2]`;

/**
 * @typedef {{ publishers: number, viewers: number, windowS: number, warmupS: number, merge: number[],
 *   only: 'wxlive' | 'nginx' | null, rtmpViewers: boolean, replay: boolean, strict: boolean, quick: boolean,
 *   fragmentS: number, playlistS: number, rounds: number,
 *   burst: number, hlsClients: number[], chatSockets: number, chatSenders: number, vodViewers: number,
 *   workload: 'a' | 'b' | 'e' | 'f' | 'g' | null, cpuProfDir: string | null, nodeArgs: string[] }} BenchArgs
 */

/** @param {string[]} argv @param {NodeJS.ProcessEnv} env @returns {BenchArgs} */
function parseArgs(argv, env) {
  const quick = argv.includes('--quick');
  /** @type {BenchArgs} */
  const a = {
    publishers: Number(env.BENCH_PUBLISHERS ?? (quick ? 3 : 20)),
    viewers: Number(env.BENCH_VIEWERS ?? (quick ? 30 : 300)),
    burst: Number(env.BENCH_BURST ?? (quick ? 50 : 1000)),
    hlsClients: (env.BENCH_HLS_CLIENTS ?? (quick ? '30' : '300,1000')).split(',').map(Number),
    chatSockets: Number(env.BENCH_CHAT_SOCKETS ?? (quick ? 200 : 2000)),
    chatSenders: Number(env.BENCH_CHAT_SENDERS ?? 20),
    vodViewers: Number(env.BENCH_VOD_VIEWERS ?? (quick ? 10 : 50)),
    windowS: Number(env.BENCH_WINDOW_S ?? (quick ? 5 : 15)),
    warmupS: Number(env.BENCH_WARMUP_S ?? (quick ? 3 : 5)),
    merge: (env.BENCH_FLV_MERGE_MS ?? '100,0').split(',').map(Number),
    only: null, rtmpViewers: true, replay: false, strict: false, quick, fragmentS: 2, playlistS: 10,
    rounds: Number(env.BENCH_ROUNDS ?? 1), workload: null, cpuProfDir: null,
    nodeArgs: (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    const [flag, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--quick': break;
      case '--publishers': a.publishers = Number(value()); break;
      case '--viewers': a.viewers = Number(value()); break;
      case '--burst': a.burst = Number(value()); break;
      case '--hls-clients': a.hlsClients = value().split(',').map(Number); break;
      case '--chat-sockets': a.chatSockets = Number(value()); break;
      case '--chat-senders': a.chatSenders = Number(value()); break;
      case '--vod-viewers': a.vodViewers = Number(value()); break;
      case '--window': a.windowS = Number(value()); break;
      case '--warmup': a.warmupS = Number(value()); break;
      case '--merge': a.merge = value().split(',').map(Number); break;
      case '--fragment': a.fragmentS = Number(value()); a.playlistS = 5 * a.fragmentS; break;
      case '--only': {
        const v = value();
        if (v !== 'wxlive' && v !== 'nginx') throw new Error(`--only takes wxlive or nginx\n${USAGE}`);
        a.only = v;
        break;
      }
      case '--workload': {
        const v = value();
        if (v !== 'a' && v !== 'b' && v !== 'e' && v !== 'f' && v !== 'g') throw new Error(`--workload takes a, b, e, f or g\n${USAGE}`);
        a.workload = v;
        break;
      }
      case '--cpu-prof': a.cpuProfDir = value(); break;
      case '--node-args': a.nodeArgs = value().split(' ').filter(Boolean); break;
      case '--no-rtmp-viewers': a.rtmpViewers = false; break;
      case '--replay': a.replay = true; break;
      case '--strict': a.strict = true; break;
      case '--rounds': a.rounds = Number(value()); break;
      case '--help': case '-h': process.stdout.write(USAGE + '\n'); process.exit(0); break;
      default: throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  const counts = { publishers: a.publishers, viewers: a.viewers, burst: a.burst, window: a.windowS, fragment: a.fragmentS,
    'chat-sockets': a.chatSockets, 'chat-senders': a.chatSenders, 'vod-viewers': a.vodViewers };
  for (const [k, v] of Object.entries(counts)) {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`--${k} must be a positive number\n${USAGE}`);
  }
  if (a.hlsClients.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--hls-clients takes whole numbers ≥ 1, e.g. 300,1000\n${USAGE}`);
  if (!Number.isInteger(a.rounds) || a.rounds < 1) throw new Error(`--rounds must be a whole number ≥ 1\n${USAGE}`);
  if (!(a.warmupS >= 0)) throw new Error(`--warmup must be ≥ 0\n${USAGE}`);
  if (a.merge.some((m) => !Number.isInteger(m) || m < 0 || m > 1000)) throw new Error(`--merge takes integers 0..1000\n${USAGE}`);
  return a;
}

/**
 * The window of (e): --window rounded up to whole HLS fragments, so every server and round sees the same number of
 * segment waves. @param {{ windowS: number, fragmentS: number }} a
 */
function hlsWindowS(a) {
  return Math.ceil(a.windowS / a.fragmentS - 1e-9) * a.fragmentS;
}

module.exports = { parseArgs, hlsWindowS, USAGE };
