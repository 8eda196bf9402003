// @ts-check
// CPU seconds and resident memory of a server's process tree, read from /proc (Linux only), so the
// bench measures only the server and not the ffmpeg publishers or viewer clients sharing the cores.
'use strict';

const { execFileSync } = require('node:child_process');
const { readFileSync, readdirSync } = require('node:fs');

const CLK_TCK = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { return 100; }
})();

/**
 * Fields of /proc/<pid>/stat (or of one thread: /proc/<pid>/task/<tid>/stat) after the command name, which
 * may hold spaces and parentheses.
 * @param {number} pid  the process, or the thread id when `owner` is given
 * @param {number} [owner]
 * @returns {{ ppid: number, ticks: number, sys: number } | null}
 */
function readStat(pid, owner) {
  let text;
  const path = owner === undefined ? `/proc/${pid}/stat` : `/proc/${owner}/task/${pid}/stat`;
  try { text = readFileSync(path, 'latin1'); } catch { return null; }
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15
  return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), sys: Number(rest[12]) };
}

/** @param {number} pid @returns {number} bytes, 0 when gone */
function readRss(pid) {
  let text;
  try { text = readFileSync(`/proc/${pid}/status`, 'latin1'); } catch { return 0; }
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** The pid and all its live descendants (nginx master + worker; wxlive and anything it spawns). */
function treeOf(/** @type {number} */ root) {
  /** @type {Map<number, number[]>} */
  const kids = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (!st) continue;
    const list = kids.get(st.ppid) ?? [];
    list.push(Number(name));
    kids.set(st.ppid, list);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(kids.get(/** @type {number} */ (out[i])) ?? []));
  return out;
}

class TreeSampler {
  /** @param {number} rootPid */
  constructor(rootPid) {
    this.root = rootPid;
    /** @type {NodeJS.Timeout | null} */
    this.timer = null;
    this.peak = 0;
  }

  /** CPU-seconds (user + system) used so far by the tree as it is now. */
  cpuSeconds() {
    let ticks = 0;
    for (const pid of treeOf(this.root)) ticks += readStat(pid)?.ticks ?? 0;
    return ticks / CLK_TCK;
  }

  /** System (kernel) CPU-seconds so far: socket writes, file writes, page faults. */
  sysSeconds() {
    let ticks = 0;
    for (const pid of treeOf(this.root)) ticks += readStat(pid)?.sys ?? 0;
    return ticks / CLK_TCK;
  }

  /** CPU-seconds of threads other than each process's main thread (Node: V8 GC and JIT helpers, libuv pool). */
  helperSeconds() {
    let ticks = 0;
    for (const pid of treeOf(this.root)) {
      let tids;
      try { tids = readdirSync(`/proc/${pid}/task`); } catch { continue; }
      for (const tid of tids) {
        if (Number(tid) === pid) continue;
        ticks += readStat(Number(tid), pid)?.ticks ?? 0;
      }
    }
    return ticks / CLK_TCK;
  }

  rssBytes() {
    let sum = 0;
    for (const pid of treeOf(this.root)) sum += readRss(pid);
    return sum;
  }

  /** Sample RSS every `everyMs` and keep the peak until stopRss(). */
  startRss(everyMs = 200) {
    this.peak = this.rssBytes();
    this.timer = setInterval(() => { this.peak = Math.max(this.peak, this.rssBytes()); }, everyMs);
  }

  /** @returns {number} peak RSS in bytes since startRss() */
  stopRss() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return Math.max(this.peak, this.rssBytes());
  }
}

/**
 * The server's CPU over a measuring window: call it at the window's start, then `read()` at its end.
 * @param {number} pid
 */
function cpuWindow(pid) {
  const sampler = new TreeSampler(pid);
  const cpu0 = sampler.cpuSeconds();
  const sys0 = sampler.sysSeconds();
  const helper0 = sampler.helperSeconds();
  const t0 = performance.now();
  return {
    read: () => ({
      cpuS: sampler.cpuSeconds() - cpu0, sysS: sampler.sysSeconds() - sys0, helperS: sampler.helperSeconds() - helper0,
      windowS: (performance.now() - t0) / 1000,
    }),
  };
}

module.exports = { TreeSampler, CLK_TCK, cpuWindow };
