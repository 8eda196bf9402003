// @ts-check
// `npm run bench`: wxlive against an nginx-rtmp baseline measured in the same run on the same machine —
// (a) N HLS publishers: CPU and RSS; (b) one stream to V viewers: CPU per GB and full-rate delivery;
// (c) segment → playlist latency; (d) first-media latency and the join burst; (e) N HLS players; (f) chat;
// (g) N RTMP VOD viewers of one library file.
// Prints one table; not part of `npm test`.
'use strict';

const os = require('node:os');
const children = require('./lib/children');
const { parseArgs, hlsWindowS } = require('./lib/args');
const { ensureInput } = require('./lib/input');
const { nginxMissing, nginxVersion, startNginx } = require('./lib/nginx-target');
const { startWxlive, START_NODE_FLAGS } = require('./lib/wxlive-target');
const { mergePublish, mergeView } = require('./lib/merge');
const { runBurst, runFrameDelay, runPublishers, runViewers } = require('./lib/workloads');
const { runHlsClients } = require('./lib/hls-load');
const { mergeBurst, mergeChat, mergeDelay, mergeHls } = require('./lib/merge');
const { runChat, startWsFloor, wxliveChat } = require('./lib/chat-load');
const { buildRows } = require('./lib/report');
const { mergeVod, runVodViewers } = require('./lib/vod-load');
const { mkdirSync } = require('node:fs');
const { resolve } = require('node:path');
const { render } = require('./lib/table');

/** @typedef {{ key: string, kind: 'flv' | 'rtmp', mergeMs: number | null }} ViewVariant */
/** @typedef {{ error: string }} Failed */
/**
 * @typedef {object} ServerResults
 * @property {import('./lib/workloads').PublishResult | Failed | null} publish
 * @property {Map<string, import('./lib/workloads').ViewResult | Failed>} views
 */

const log = (/** @type {string} */ s) => process.stderr.write(`bench: ${s}\n`);

/**
 * Start a fresh server, run one workload, always stop the server.
 * @template T
 * @template {{ stop(): Promise<void> }} S
 * @param {() => Promise<S>} start
 * @param {(t: S) => Promise<T>} work
 * @returns {Promise<T | Failed>}
 */
async function once(start, work) {
  /** @type {S | null} */
  let target = null;
  try {
    target = await start();
    return await work(target);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log(`error: ${msg}`);
    return { error: msg.split('\n')[0]?.slice(0, 300) ?? msg };
  } finally {
    await target?.stop();
  }
}

async function main() {
  children.installHandlers();
  const args = parseArgs(process.argv.slice(2), process.env);
  const input = await ensureInput();
  const timing = { warmupMs: args.warmupS * 1000, windowMs: args.windowS * 1000, log };
  const hls = { fragmentS: args.fragmentS, playlistS: args.playlistS };
  // (e)'s bytes come in waves, one segment per fragment: a window of whole fragments holds the same number of waves
  // on every server and in every round (15 s of 2 s fragments held 7 or 8, ±13 % of the bytes a CPU-s is divided by)
  const hlsTiming = { ...timing, windowMs: hlsWindowS(args) * 1000 };
  if (args.cpuProfDir) mkdirSync(resolve(args.cpuProfDir), { recursive: true });
  const nodeArgs = [...args.nodeArgs, ...(args.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args.cpuProfDir)}`] : [])];
  const wxBase = { ...hls, replay: args.replay, nodeArgs };
  const doA = args.workload === null || args.workload === 'a';
  const doB = args.workload === null || args.workload === 'b';
  const doE = args.workload === null || args.workload === 'e';
  const doF = args.workload === null || args.workload === 'f';
  const doG = args.workload === null || args.workload === 'g';
  const nginxSkip = args.only === 'wxlive' ? 'not run (--only wxlive)' : nginxMissing();
  const wxliveSkip = args.only === 'nginx' ? 'not run (--only nginx)' : null;

  /** @type {ViewVariant[]} */
  const wxVariants = args.merge.map((m) => ({ key: `flv-${m}`, kind: /** @type {const} */ ('flv'), mergeMs: m }));
  if (args.rtmpViewers) wxVariants.push({ key: 'rtmp', kind: 'rtmp', mergeMs: null });

  /** @type {{ ngxPublish: any[], wxPublish: any[], ngxView: any[], wxViews: Map<string, any[]> }} */
  const got = { ngxPublish: [], wxPublish: [], ngxView: [], wxViews: new Map(wxVariants.map((v) => [v.key, []])) };
  /** @type {{ ngxBurst: any[], wxBurst: Map<string, any[]>, ngxHls: Map<number, any[]>, wxHls: Map<number, any[]>, ngxDelay: any[], wxDelay: any[], wxChat: any[], floorChat: any[] }} */
  const more = {
    ngxDelay: [], wxDelay: [], wxChat: [], floorChat: [], ngxBurst: [], wxBurst: new Map((args.rtmpViewers ? ['flv', 'rtmp'] : ['flv']).map((k) => [k, []])),
    ngxHls: new Map(args.hlsClients.map((n) => [n, []])), wxHls: new Map(args.hlsClients.map((n) => [n, []])),
  };
  const load0 = os.loadavg();
  // rounds interleave the servers so a change in background load hits both sides alike
  for (let round = 1; round <= args.rounds; round++) {
    const tag = args.rounds > 1 ? ` [round ${round}/${args.rounds}]` : '';
    if (doA && !nginxSkip) {
      log(`nginx-rtmp (a): ${args.publishers} HLS publishers${tag}`);
      got.ngxPublish.push(await once(() => startNginx(hls), (t) => runPublishers(t, input, args.publishers, timing)));
    }
    if (doA && !wxliveSkip) {
      log(`wxlive (a): ${args.publishers} HLS publishers${tag}`);
      got.wxPublish.push(await once(() => startWxlive(wxBase), (t) => runPublishers(t, input, args.publishers, timing)));
    }
    if (doB && !nginxSkip) {
      log(`nginx-rtmp (b): ${args.viewers} RTMP viewers${tag}`);
      got.ngxView.push(await once(() => startNginx(hls),
        (t) => runViewers(t, input, { count: args.viewers, kind: 'rtmp' }, timing)));
    }
    if (doB && !wxliveSkip) {
      for (const v of wxVariants) {
        log(`wxlive (b): ${args.viewers} ${v.kind} viewers${v.mergeMs === null ? '' : `, FLV_MERGE_MS=${v.mergeMs}`}${tag}`);
        /** @type {Record<string, string>} */
        const env = v.mergeMs === null ? {} : { FLV_MERGE_MS: String(v.mergeMs) };
        got.wxViews.get(v.key)?.push(await once(() => startWxlive({ ...wxBase, env }),
          (t) => runViewers(t, input, { count: args.viewers, kind: v.kind }, timing)));
      }
    }
    if (doB && !nginxSkip) {
      log(`nginx-rtmp (d) delay per frame: one RTMP viewer${tag}`);
      more.ngxDelay.push(await once(() => startNginx(hls), (t) => runFrameDelay(t, input, 'rtmp', timing)));
    }
    if (doB && !wxliveSkip) {
      log(`wxlive (d) delay per frame: one HTTP-FLV viewer${tag}`);
      more.wxDelay.push(await once(() => startWxlive(wxBase), (t) => runFrameDelay(t, input, 'flv', timing)));
    }
    if (doB && !nginxSkip) {
      log(`nginx-rtmp (b) join burst: ${args.burst} RTMP viewers in 1 s${tag}`);
      more.ngxBurst.push(await once(() => startNginx(hls), (t) => runBurst(t, input, { count: args.burst, kind: 'rtmp' }, timing)));
    }
    if (doB && !wxliveSkip) {
      for (const [kind, list] of more.wxBurst) {
        log(`wxlive (b) join burst: ${args.burst} ${kind} viewers in 1 s${tag}`);
        const k = /** @type {'flv' | 'rtmp'} */ (kind);
        list.push(await once(() => startWxlive(wxBase), (t) => runBurst(t, input, { count: args.burst, kind: k }, timing)));
      }
    }
    for (const n of doE ? args.hlsClients : []) {
      if (!nginxSkip) {
        log(`nginx-rtmp (e): ${n} HLS clients${tag}`);
        more.ngxHls.get(n)?.push(await once(() => startNginx(hls), (t) => runHlsClients(t, input, n, hlsTiming)));
      }
      if (!wxliveSkip) {
        log(`wxlive (e): ${n} HLS clients${tag}`);
        more.wxHls.get(n)?.push(await once(() => startWxlive(wxBase), (t) => runHlsClients(t, input, n, hlsTiming)));
      }
    }
  }
  if (nginxSkip) log(`nginx-rtmp baseline skipped: ${nginxSkip}`);
  for (let round = 1; round <= (doF ? args.rounds : 0); round++) {
    const tag = args.rounds > 1 ? ` [round ${round}/${args.rounds}]` : '';
    const load = { sockets: args.chatSockets, senders: args.chatSenders };
    if (args.only !== 'wxlive') {
      log(`ws floor (f): ${load.sockets} room sockets${tag}`);
      more.floorChat.push(await once(startWsFloor, (t) => runChat(t, load, timing)));
    }
    if (!wxliveSkip) {
      log(`wxlive (f): ${load.sockets} room sockets${tag}`);
      more.wxChat.push(await once(() => startWxlive(wxBase), async (t) => runChat(await wxliveChat(t, load.senders), load, timing)));
    }
  }
  /** @type {{ wx: any[], ngx: any[] }} */
  const vod = { wx: [], ngx: [] };
  for (let round = 1; round <= (doG ? args.rounds : 0); round++) {
    const tag = args.rounds > 1 ? ` [round ${round}/${args.rounds}]` : '';
    if (!nginxSkip) {
      log(`nginx-rtmp (g): ${args.vodViewers} RTMP VOD viewers${tag}`);
      vod.ngx.push(await once(() => startNginx({ ...hls, vodFile: input.path }), (t) => runVodViewers(t, input, args.vodViewers, timing)));
    }
    if (!wxliveSkip) {
      log(`wxlive (g): ${args.vodViewers} RTMP VOD viewers${tag}`);
      vod.wx.push(await once(() => startWxlive({ ...wxBase, vodFile: input.path }), (t) => runVodViewers(t, input, args.vodViewers, timing)));
    }
  }
  /** @type {ServerResults} */
  const ngx = {
    publish: nginxSkip || !doA ? null : mergePublish(got.ngxPublish),
    views: new Map(nginxSkip || !doB ? [] : [['rtmp', mergeView(got.ngxView)]]),
  };
  /** @type {ServerResults} */
  const wx = {
    publish: wxliveSkip || !doA ? null : mergePublish(got.wxPublish),
    views: new Map(wxliveSkip || !doB ? [] : [...got.wxViews].map(([k, list]) => [k, mergeView(list)])),
  };

  const fold = (/** @type {Map<any, any[]>} */ m, /** @type {(r: any[]) => any} */ f, /** @type {boolean} */ skip) =>
    new Map(skip ? [] : [...m].map(([k, list]) => [k, f(list)]));
  const { rows, notes, failed, errors } = buildRows({
    args, input, wx, ngx, wxVariants, nginxSkip, wxliveSkip,
    wxHls: fold(more.wxHls, mergeHls, !!wxliveSkip || !doE), ngxHls: fold(more.ngxHls, mergeHls, !!nginxSkip || !doE),
    wxBurst: fold(more.wxBurst, mergeBurst, !!wxliveSkip || !doB), ngxBurst: nginxSkip || !doB ? null : mergeBurst(more.ngxBurst),
    wxChat: wxliveSkip || !doF ? null : mergeChat(more.wxChat), floorChat: args.only === 'wxlive' || !doF ? null : mergeChat(more.floorChat),
    wxDelay: wxliveSkip || !doB ? null : mergeDelay(more.wxDelay), ngxDelay: nginxSkip || !doB ? null : mergeDelay(more.ngxDelay),
    wxVod: wxliveSkip || !doG ? null : mergeVod(vod.wx), ngxVod: nginxSkip || !doG ? null : mergeVod(vod.ngx),
  });
  const cpu = os.cpus();
  process.stdout.write([
    '',
    `wxlive bench — ${new Date().toISOString()}`,
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version};` +
      ` baseline: ${nginxSkip ? `skipped — ${nginxSkip}` : `${nginxVersion()} + ngx_rtmp_module, 1 worker`}`,
    `input: 1280x720 H.264 + AAC FLV, ${(input.mediaBytesPerS * 8 / 1e6).toFixed(2)} Mbps media, looped with ffmpeg -re -c copy;` +
      ` window ${args.windowS} s after ${args.warmupS} s warm-up; HLS fragment ${args.fragmentS} s, playlist ${args.playlistS} s;` +
      `${process.env.BENCH_WXLIVE_MAIN ? ` wxlive build ${process.env.BENCH_WXLIVE_MAIN};` : ''} wxlive REPLAY=${args.replay ? 'on' : 'off'}, node ${[...START_NODE_FLAGS, ...args.nodeArgs].join(' ') || '(no flags)'} (npm start's flags${args.nodeArgs.length ? ' + --node-args' : ''}); ${args.rounds} round(s), figures are medians over rounds (peak RSS: the highest round)`,
    `load average (1 min) before/after: ${load0[0]?.toFixed(2)} / ${os.loadavg()[0]?.toFixed(2)} on ${cpu.length} cores` +
      ' — other work on these cores makes CPU figures noisier; compare ratios, and rerun with --rounds 3 when it is high',
    `CPU = user+system seconds of the server's process tree only (/proc), not the publishers' or viewers'`,
    '',
    render(rows),
    '',
    ...notes.map((n) => `note: ${n}`),
    '',
  ].join('\n'));
  if (errors > 0) process.exitCode = 1;
  else if (args.strict && failed > 0) process.exitCode = 1;
}

main()
  .catch((e) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => children.cleanupAll());
