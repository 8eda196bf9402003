// @ts-check
// Turns measured results into table rows: figures, wxlive/nginx ratios and pass/fail against issue 11's targets
// ((c) keeps issue 3's); (e) rows are in report-e.js, the join burst's in report-burst.js.
'use strict';

const { max, median, percentile } = require('./stats');
const { num, ratio } = require('./table');
const { burstRows } = require('./report-burst');
const { delayRows } = require('./report-delay');
const { chatRows } = require('./report-f');
const { vodRows } = require('./report-g');
const { hlsRows } = require('./report-e');
const { hlsWindowS } = require('./args');

const TARGET_CPU_RATIO = 1.5; // (a) wxlive CPU ≤ 1.5 × nginx-rtmp with HLS publishers
const TARGET_RSS_MB = 100; // (a) with 20 streams
const TARGET_PLAYLIST_MS = 100; // (c) after a segment closes
const TARGET_PER_GB_RATIO = 0.7; // (b) HTTP-FLV fan-out CPU per GB ≤ 0.7 × nginx-rtmp's (issue 11; issue 3 had 1.0)
/** FLV_MERGE_MS's default (server/config/schema.ts): the FLV target is judged on what users run; other merges are for comparison */
const DEFAULT_FLV_MERGE_MS = 100;

/**
 * @typedef {import('./table').Row} Row
 * @typedef {import('./workloads').PublishResult} PublishResult
 * @typedef {import('./workloads').ViewResult} ViewResult
 * @typedef {{ error: string }} Failed
 */

/** @template T @param {T | Failed | null | undefined} r @returns {T | null} */
const ok = (r) => (r && !('error' in /** @type {object} */ (r)) ? /** @type {T} */ (r) : null);

/**
 * @param {{ args: import('./args').BenchArgs, input: import('./input').InputInfo,
 *   wx: { publish: PublishResult | Failed | null, views: Map<string, ViewResult | Failed> },
 *   ngx: { publish: PublishResult | Failed | null, views: Map<string, ViewResult | Failed> },
 *   wxVariants: { key: string, kind: 'flv' | 'rtmp', mergeMs: number | null }[],
 *   wxHls: Map<number, any>, ngxHls: Map<number, any>, wxBurst: Map<string, any>, ngxBurst: any, wxDelay: any, ngxDelay: any, wxChat: any, floorChat: any, wxVod: any, ngxVod: any,
 *   nginxSkip: string | null, wxliveSkip: string | null }} p
 */
function buildRows(p) {
  const { args, wx, ngx } = p;
  /** @type {Row[]} */
  const rows = [];
  /** @type {string[]} */
  const notes = [];
  let errors = 0;
  const ngxCell = (/** @type {string} */ v) => (p.nginxSkip ? 'skipped' : v);
  const wxCell = (/** @type {string} */ v) => (p.wxliveSkip ? 'skipped' : v);
  /** @param {boolean | null} good */
  const verdict = (good) => (good === null ? 'n/a' : good ? 'pass' : 'FAIL');
  /** @param {string} who @param {string} what @param {unknown} r */
  const noteError = (who, what, r) => {
    const e = /** @type {Failed | null} */ (r && typeof r === 'object' && 'error' in r ? r : null);
    if (e) { errors++; notes.push(`${who} ${what} failed: ${e.error}`); }
  };

  const wa = ok(wx.publish);
  const na = ok(ngx.publish);
  const nb = ok(ngx.views.get('rtmp'));
  const sys = (/** @type {PublishResult | ViewResult} */ r) => `${num(r.sysS)} (${num((100 * r.sysS) / r.cpuS, 0)} %)`;
  const helper = (/** @type {PublishResult | ViewResult} */ r) => `${num(r.helperS)} (${num((100 * r.helperS) / r.cpuS, 0)} %)`;
  /** the two diagnostic rows under a CPU figure: kernel share and helper-thread share */
  const cpuSplitRows = (/** @type {string} */ workload, /** @type {PublishResult | ViewResult | null} */ w, /** @type {PublishResult | ViewResult | null} */ n) => [
    {
      workload, figure: '  of which system (kernel) CPU-s', wxlive: wxCell(w ? sys(w) : '–'), nginx: ngxCell(n ? sys(n) : '–'),
      ratio: ratio(w?.sysS, n?.sysS), target: '', result: 'info',
    },
    {
      workload, figure: '  of which helper threads (GC, JIT, libuv)', wxlive: wxCell(w ? helper(w) : '–'), nginx: ngxCell(n ? helper(n) : '–'),
      ratio: '', target: '', result: 'info',
    },
  ];

  const doA = args.workload === null || args.workload === 'a';
  const doB = args.workload === null || args.workload === 'b';
  const doE = args.workload === null || args.workload === 'e';
  if (doA) {
    // (a) + (c): N publishers with HLS on
    noteError('wxlive', '(a)', wx.publish);
    noteError('nginx-rtmp', '(a)', ngx.publish);
    const wa_ = wa ? wxCell(num(wa.cpuS)) : wxCell('error');
    const A = `(a) ${args.publishers} HLS publishers`;
    rows.push({
      workload: A, figure: `server CPU-s over ${args.windowS} s`, wxlive: wa_, nginx: ngxCell(na ? num(na.cpuS) : 'error'),
      ratio: ratio(wa?.cpuS, na?.cpuS), target: `≤ ${TARGET_CPU_RATIO}× nginx`,
      result: wa && na ? verdict(wa.cpuS <= TARGET_CPU_RATIO * na.cpuS) : wa ? 'n/a' : 'error',
    });
    rows.push(...cpuSplitRows(A, wa, na));
    const core = (/** @type {PublishResult} */ r) => `${num((100 * r.cpuS) / r.windowS, 1)} %`;
    rows.push({
      workload: A, figure: 'CPU, share of one core', wxlive: wxCell(wa ? core(wa) : '–'), nginx: ngxCell(na ? core(na) : '–'),
      ratio: ratio(wa?.cpuS, na?.cpuS), target: '', result: 'info',
    });
    const mb = (/** @type {number} */ b) => b / 2 ** 20;
    rows.push({
      workload: A, figure: 'peak RSS, MB', wxlive: wxCell(wa ? num(mb(wa.rssPeak), 1) : '–'),
      nginx: ngxCell(na ? num(mb(na.rssPeak), 1) : '–'), ratio: ratio(wa?.rssPeak, na?.rssPeak),
      target: `≤ ${TARGET_RSS_MB} MB`, result: wa ? verdict(mb(wa.rssPeak) <= TARGET_RSS_MB) : 'n/a',
    });
    rows.push({
      workload: A, figure: '  RSS before the first publish, MB', wxlive: wxCell(wa ? num(mb(wa.rssIdle), 1) : '–'),
      nginx: ngxCell(na ? num(mb(na.rssIdle), 1) : '–'), ratio: ratio(wa?.rssIdle, na?.rssIdle), target: '', result: 'info',
    });
    const C = '(c) segment → playlist';
    const lat = (/** @type {PublishResult | null} */ r, /** @type {(x: number[]) => number} */ f) => (r ? num(f(r.latenciesMs), 1) : '–');
    rows.push({
      workload: C, figure: 'median ms', wxlive: wxCell(lat(wa, median)), nginx: ngxCell(lat(na, median)),
      ratio: ratio(wa ? median(wa.latenciesMs) : undefined, na ? median(na.latenciesMs) : undefined), target: '', result: 'info',
    });
    const wMax = wa ? max(wa.latenciesMs) : NaN;
    rows.push({
      workload: C, figure: 'max ms', wxlive: wxCell(lat(wa, max)), nginx: ngxCell(lat(na, max)),
      ratio: ratio(wMax, na ? max(na.latenciesMs) : undefined), target: `≤ ${TARGET_PLAYLIST_MS} ms`,
      result: wa ? (wa.latenciesMs.length ? verdict(wMax <= TARGET_PLAYLIST_MS) : 'error') : 'n/a',
    });
    rows.push({
      workload: C, figure: 'segments measured', wxlive: wxCell(wa ? String(wa.latenciesMs.length) : '–'),
      nginx: ngxCell(na ? String(na.latenciesMs.length) : '–'), ratio: '', target: '', result: 'info',
    });
    if (wa && wa.latenciesMs.length === 0) notes.push('wxlive wrote no segment that its live playlist listed during the window');

  }

  if (doB) {
    // (b) + (d): one stream, V viewers
    noteError('nginx-rtmp', '(b)', ngx.views.get('rtmp'));
    for (const v of p.wxVariants) {
      const raw = wx.views.get(v.key);
      const wb = ok(raw);
      noteError('wxlive', `(b) ${v.key}`, raw);
      const how = v.kind === 'flv' ? `FLV, merge ${v.mergeMs} ms` : 'RTMP';
      const B = `(b) ${args.viewers} viewers, wxlive ${how}`;
      const flv = v.kind === 'flv' && v.mergeMs === DEFAULT_FLV_MERGE_MS;
      rows.push({
        workload: B, figure: 'server CPU-s per GB delivered', wxlive: wxCell(wb ? num(wb.cpuSPerGB) : 'error'),
        nginx: ngxCell(nb ? num(nb.cpuSPerGB) : 'error'), ratio: ratio(wb?.cpuSPerGB, nb?.cpuSPerGB),
        target: flv ? `≤ ${TARGET_PER_GB_RATIO.toFixed(1)}× nginx` : '',
        result: !flv ? 'info' : wb && nb ? verdict(wb.cpuSPerGB <= TARGET_PER_GB_RATIO * nb.cpuSPerGB) : wb ? 'n/a' : 'error',
      });
      const gb = (/** @type {ViewResult} */ r) => `${num(r.cpuS)} s / ${num(r.wireBytes / 1e9)} GB`;
      rows.push(...cpuSplitRows(B, wb, nb));
      rows.push({
        workload: B, figure: `  CPU-s / GB over ${args.windowS} s`, wxlive: wxCell(wb ? gb(wb) : '–'), nginx: ngxCell(nb ? gb(nb) : '–'),
        ratio: ratio(wb?.cpuS, nb?.cpuS), target: '', result: 'info',
      });
      rows.push({
        workload: B, figure: 'viewers at ≥ 95 % of bitrate', wxlive: wxCell(wb ? `${wb.full}/${wb.viewers}` : '–'),
        nginx: ngxCell(nb ? `${nb.full}/${nb.viewers}` : '–'), ratio: '', target: 'all',
        result: wb ? verdict(wb.full === wb.viewers) : 'error',
      });
      const pct = (/** @type {number} */ x) => `${num(100 * x, 1)} %`;
      rows.push({
        workload: B, figure: '  slowest viewer: bytes / media time', wxlive: wxCell(wb ? `${pct(wb.minFraction)} / ${pct(wb.minMediaTimeFraction)}` : '–'),
        nginx: ngxCell(nb ? `${pct(nb.minFraction)} / ${pct(nb.minMediaTimeFraction)}` : '–'), ratio: '', target: '', result: 'info',
      });
      const D = `(d) first media, wxlive ${how}`;
      const fm = (/** @type {ViewResult | null} */ r, /** @type {number} */ q) => (r ? num(percentile(r.firstMediaMs, q), 1) : '–');
      for (const [q, name] of /** @type {[number, string][]} */ ([[50, 'median ms'], [95, 'p95 ms']])) {
        rows.push({
          workload: D, figure: name, wxlive: wxCell(fm(wb, q)), nginx: ngxCell(fm(nb, q)),
          ratio: ratio(wb ? percentile(wb.firstMediaMs, q) : undefined, nb ? percentile(nb.firstMediaMs, q) : undefined),
          target: '', result: 'info',
        });
      }
      if (wb?.dropped.length) notes.push(`wxlive ${v.key}: viewers closed during the window: ${wb.dropped.join('; ')}`);
    }
    if (nb?.dropped.length) notes.push(`nginx-rtmp: viewers closed during the window: ${nb.dropped.join('; ')}`);

  }
  const kit = { ok, wxCell, ngxCell, verdict, noteError, cpuSplitRows, notes };
  if (doB) rows.push(...delayRows(p.wxDelay, p.ngxDelay, /** @type {any} */ (kit)));
  if (doB) rows.push(...burstRows(args.burst, p.wxBurst, p.ngxBurst, /** @type {any} */ (kit)));
  if (doE) rows.push(...hlsRows(args.hlsClients, p.wxHls, p.ngxHls, hlsWindowS(args), /** @type {any} */ (kit)));
  if (args.workload === null || args.workload === 'f') {
    rows.push(...chatRows({ sockets: args.chatSockets, senders: args.chatSenders }, p.wxChat, p.floorChat, /** @type {any} */ (kit)));
  }
  if (args.workload === null || args.workload === 'g') rows.push(...vodRows(args.vodViewers, p.wxVod, p.ngxVod, /** @type {any} */ (kit)));
  if (p.nginxSkip) notes.push(`nginx-rtmp baseline skipped: ${p.nginxSkip}; ratios and ratio targets cannot be judged (n/a)`);
  notes.push('(b) nginx-rtmp serves RTMP viewers (it has no HTTP-FLV); a viewer is "full" when its audio+video payload ' +
    `over the window ≥ 95 % of the input's ${num(p.input.mediaBytesPerS * 8 / 1e6)} Mbps; "media time" = timestamp advance ÷ window`);
  if (doB && p.wxVariants.some((v) => v.kind === 'flv' && v.mergeMs !== DEFAULT_FLV_MERGE_MS)) {
    notes.push(`(b) the FLV target is judged at FLV_MERGE_MS=${DEFAULT_FLV_MERGE_MS}, the default; other merge values are shown for comparison`);
  }
  notes.push('(c) from the segment file\'s last inotify write to the rename of the live playlist that first lists it; ' +
    'includes the wait for the next keyframe\'s arrival (≈ one frame, 33 ms) on servers that cut on that keyframe');
  notes.push('(d) from opening the connection (HTTP GET / TCP connect) to the first audio or video payload byte');
  if (args.quick) notes.push('quick mode: the targets are set for 20 publishers and 300 viewers on 2 cores; read verdicts as indicative');
  if (p.wxliveSkip) for (const r of rows) if (r.result !== 'info') r.result = 'n/a';
  if (args.rounds > 1) {
    const list = (/** @type {{ cpuRounds?: number[] } | null} */ r) => (r?.cpuRounds ?? []).map((x) => num(x)).join(', ') || '–';
    // only the workloads that ran
    const ran = (/** @type {string} */ w) => args.workload === null || args.workload === w;
    if (ran('a')) notes.push(`per round, (a) CPU-s: wxlive ${list(wa)}; nginx-rtmp ${list(na)}`);
    if (ran('a')) notes.push(`per round, (a) peak RSS MB (the row shows the highest): wxlive ${(wa?.rssRounds ?? []).map((x) => num(x / 2 ** 20, 1)).join(', ') || '–'}`);
    if (ran('b')) for (const v of p.wxVariants) notes.push(`per round, (b) ${v.key} CPU-s/GB: wxlive ${list(ok(wx.views.get(v.key)))}; nginx-rtmp ${list(nb)}`);
    if (ran('e')) for (const n of args.hlsClients) notes.push(`per round, (e) ${n} clients CPU-s/GB: wxlive ${list(ok(p.wxHls.get(n)))}; nginx-rtmp ${list(ok(p.ngxHls.get(n)))}`);
    if (ran('f')) notes.push(`per round, (f) CPU-s: wxlive ${list(ok(p.wxChat))}; ws floor ${list(ok(p.floorChat))}`);
    if (ran('g')) notes.push(`per round, (g) CPU-s: wxlive ${list(ok(p.wxVod))}; nginx-rtmp ${list(ok(p.ngxVod))}`);
  }
  const failed = rows.filter((r) => r.result === 'FAIL').length;
  return { rows, notes, failed, errors };
}

module.exports = { buildRows };
