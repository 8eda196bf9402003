// @ts-check
// Segment → playlist latency, watched with inotify (fs.watch) the same way for both servers: for each new
// segment, the time its live playlist first lists it minus the time of the segment file's last write event.
'use strict';

const { existsSync, readFileSync, readdirSync, statSync, watch } = require('node:fs');
const { basename, dirname, join } = require('node:path');
const { performance } = require('node:perf_hooks');

class HlsLatencyWatcher {
  /**
   * @param {string} root
   * @param {(f: string) => boolean} isPlaylist
   * @param {(f: string) => boolean} isSegment
   */
  constructor(root, isPlaylist, isSegment) {
    this.root = root;
    this.isPlaylist = isPlaylist;
    this.isSegment = isSegment;
    /** @type {Map<string, import('node:fs').FSWatcher>} */
    this.watchers = new Map();
    /** @type {Map<string, number>} segment path → time of its last inotify event */
    this.lastWrite = new Map();
    /** @type {Set<string>} segment paths some playlist has already listed */
    this.listed = new Set();
    /** @type {number[]} */
    this.latencies = [];
    this.unmatched = 0; // listed segments whose writes we never saw (written before the watch began)
  }

  /** Watch the HLS root, or its parent until the server creates it (wxlive makes DATA_DIR/hls on first publish). */
  start() {
    if (existsSync(this.root)) this.watchDir(this.root, 0);
    else this.watchDir(dirname(this.root), -1);
  }

  /** Forget samples so far: the measurement window starts now. */
  reset() { this.latencies = []; this.unmatched = 0; }

  stop() {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /** @param {string} dir @param {number} depth */
  watchDir(dir, depth) {
    if (this.watchers.has(dir) || depth > 4) return;
    let w;
    try { w = watch(dir, (_event, name) => name && this.onEvent(dir, depth, name.toString())); } catch { return; }
    w.on('error', () => { w.close(); this.watchers.delete(dir); });
    this.watchers.set(dir, w);
    // a subdir made before this watch existed (wxlive creates <room>/<broadcast>/ at publish time)
    try {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) this.watchDir(join(dir, e.name), depth + 1);
      }
    } catch { /* gone */ }
  }

  /** @param {string} dir @param {number} depth @param {string} name */
  onEvent(dir, depth, name) {
    const now = performance.now();
    const path = join(dir, name);
    if (this.isSegment(name)) {
      this.lastWrite.set(path, now);
    } else if (this.isPlaylist(name)) {
      this.onPlaylist(path, now);
    } else if (!name.includes('.')) {
      try { if (statSync(path).isDirectory()) this.watchDir(path, depth + 1); } catch { /* gone */ }
    }
  }

  /** @param {string} playlist @param {number} now */
  onPlaylist(playlist, now) {
    let text;
    try { text = readFileSync(playlist, 'utf8'); } catch { return; }
    const dir = dirname(playlist);
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const seg = join(dir, basename(line.split('?')[0] ?? line));
      if (this.listed.has(seg)) continue;
      this.listed.add(seg);
      const wrote = this.lastWrite.get(seg);
      if (wrote === undefined) this.unmatched++;
      else this.latencies.push(now - wrote);
      this.lastWrite.delete(seg);
    }
  }
}

module.exports = { HlsLatencyWatcher };
