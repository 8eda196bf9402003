// @ts-check
// Free loopback ports and waiting for a listener to come up.
'use strict';

const net = require('node:net');

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Resolve once a TCP connect to 127.0.0.1:port succeeds; reject after timeoutMs or when `alive()` says the
 * server process is gone.
 * @param {number} port @param {number} timeoutMs @param {() => string | null} dead  reason when the server died
 */
async function waitListening(port, timeoutMs, dead) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = dead();
    if (why) throw new Error(why);
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

module.exports = { freePort, waitListening };
