// @ts-check
// ffmpeg publishers looping the pre-encoded input at its native rate with `-c copy` (no encoding cost), and a
// wait until the server has written a live playlist for each one — proof that every stream is flowing.
'use strict';

const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const children = require('./children');

/**
 * @param {string} input  FLV file
 * @param {string[]} urls
 */
function startPublishers(input, urls) {
  return urls.map((url, i) => children.start('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-re', '-stream_loop', '-1', '-i', input, '-c', 'copy', '-f', 'flv', url,
  ], { name: `publisher ${i}` }));
}

/** Live playlists under `root`, at any depth (wxlive nests them per room and broadcast). */
function findPlaylists(/** @type {string} */ root, /** @type {(f: string) => boolean} */ isPlaylist) {
  /** @type {string[]} */
  const found = [];
  const walk = (/** @type {string} */ dir, /** @type {number} */ depth) => {
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (e.isDirectory() && depth < 4) walk(join(dir, e.name), depth + 1);
      else if (e.isFile() && isPlaylist(e.name)) found.push(join(dir, e.name));
    }
  };
  walk(root, 0);
  return found;
}

/**
 * @param {import('./target').Target} target
 * @param {ReturnType<typeof startPublishers>} pubs
 * @param {number} timeoutMs
 */
async function waitStreamsFlowing(target, pubs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = pubs.find((p) => p.exitCode !== null);
    if (dead) throw new Error(`${dead.label} exited (${dead.exitCode}): ${dead.tail().trim() || 'no output'}`);
    if (!target.alive()) throw new Error(`${target.name} died: ${target.diagnostics()}`);
    const n = findPlaylists(target.hlsRoot, target.isPlaylist).length;
    if (n >= pubs.length) return;
    if (Date.now() > deadline) {
      throw new Error(`${target.name}: only ${n} of ${pubs.length} streams produced an HLS playlist within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** @param {ReturnType<typeof startPublishers>} pubs */
async function stopPublishers(pubs) {
  await Promise.all(pubs.map((p) => children.stop(p, 2000)));
}

module.exports = { startPublishers, waitStreamsFlowing, stopPublishers, findPlaylists };
