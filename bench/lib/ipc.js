// @ts-check
// Request/answer with a load process (bench/viewers.js, bench/hls-clients.js) over its IPC channel.
'use strict';

/** @param {ReturnType<typeof import('./children').start>} proc */
function ipc(proc) {
  /** @type {any[]} */
  const inbox = [];
  /** @type {(() => void) | null} */
  let wake = null;
  proc.on('message', (m) => { inbox.push(m); wake?.(); });
  let markId = 0;
  /** @param {string} type @param {number} timeoutMs @param {number} [id] @returns {Promise<any>} */
  const next = async (type, timeoutMs, id) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const k = inbox.findIndex((m) => m.type === type && (id === undefined || m.id === id));
      if (k >= 0) return inbox.splice(k, 1)[0];
      if (proc.exitCode !== null) throw new Error(`${proc.label} process exited (${proc.exitCode}): ${proc.tail()}`);
      if (Date.now() > deadline) throw new Error(`${proc.label} process gave no "${type}" within ${timeoutMs} ms`);
      await new Promise((r) => { wake = () => r(undefined); setTimeout(r, 100); });
      wake = null;
    }
  };
  return {
    next,
    mark: () => { const id = ++markId; proc.send({ cmd: 'mark', id }); return next('mark', 5000, id); },
    /** the per-frame arrival samples since the last ask (bench/viewers.js trackDelay) */
    delays: () => { const id = ++markId; proc.send({ cmd: 'delays', id }); return next('delays', 5000, id); },
  };
}

module.exports = { ipc };
