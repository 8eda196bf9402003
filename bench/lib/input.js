// @ts-check
// The pre-encoded input every publisher loops with `-c copy`: 720p H.264 + AAC FLV, encoded once and cached,
// so encoding never shows up in the figures. Also measures its media bitrate, the yardstick for "full rate".
'use strict';

const { execFile } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { FlvReader } = require('./flv-reader');

const DURATION_S = 20;
const ENCODE_ARGS = [
  '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
  '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
  '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
  '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '1600k', '-maxrate', '1700k', '-bufsize', '3400k',
  '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-pix_fmt', 'yuv420p',
  '-c:a', 'aac', '-b:a', '96k', '-t', String(DURATION_S), '-f', 'flv',
];

/**
 * @typedef {object} InputInfo
 * @property {string} path
 * @property {number} durationS   media duration of one loop
 * @property {number} mediaBytesPerS  audio + video payload bytes per second (what every viewer must keep up with)
 * @property {number} fileBytesPerS   whole FLV bytes per second (payload + tag framing)
 */

/** @returns {Promise<InputInfo>} */
async function ensureInput(cacheDir = join(tmpdir(), 'wxlive-bench')) {
  mkdirSync(cacheDir, { recursive: true });
  const key = createHash('sha256').update(ENCODE_ARGS.join(' ')).digest('hex').slice(0, 12);
  const path = join(cacheDir, `in-720p-${key}.flv`);
  if (!existsSync(path)) {
    process.stderr.write(`bench: encoding the ${DURATION_S} s 720p input once (cached at ${path})…\n`);
    const tmp = `${path}.${process.pid}.part`;
    try {
      await new Promise((resolve, reject) => {
        execFile('ffmpeg', [...ENCODE_ARGS, tmp], { maxBuffer: 1 << 20 }, (err, _out, stderr) => {
          if (err) reject(new Error(`ffmpeg could not encode the bench input: ${stderr || err.message}`));
          else resolve(undefined);
        });
      });
      renameSync(tmp, path);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const bytes = readFileSync(path);
  const reader = new FlvReader();
  reader.push(bytes);
  if (reader.error || reader.tags === 0) throw new Error(`bench input ${path} is not a usable FLV; delete it to re-encode`);
  const durationS = reader.lastTs / 1000 + 1 / 30; // the last frame lasts one frame interval
  return {
    path,
    durationS,
    mediaBytesPerS: reader.mediaBytes / durationS,
    fileBytesPerS: bytes.length / durationS,
  };
}

module.exports = { ensureInput };
