// @ts-check
// Load for workload (f), in its own process: `count` read-only sockets and one socket per sender token in one
// room; on "go" every sender says its send time once a second. Each `message` frame a socket gets is one
// delivery; on every SAMPLE_EVERY-th socket it is parsed for its latency = arrival − the send time it carries
// (one process, one clock). Parsing 40 000 frames a second would make this process, not the server, the
// bottleneck on 2 cores. Reports on "mark".
'use strict';

const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');

/** @typedef {{ url: string, count: number, tokens: string[], senders: number, waitHello: boolean, readyTimeoutMs: number }} ChatConfig */
/** @type {ChatConfig} */
const cfg = JSON.parse(process.argv[2] ?? '{}');
const now = () => performance.timeOrigin + performance.now();
const SAMPLE_EVERY = 10;
const MESSAGE = Buffer.from('"type":"message"');
/** @type {WebSocket[]} */
const sockets = [];
let ready = 0;
let failed = '';
let deliveries = 0;
/** @type {number[]} */
let latencies = [];
let sent = 0;
/** @type {NodeJS.Timeout[]} */
const timers = [];

/** @param {string | undefined} token */
function open(token) {
  const ws = new WebSocket(cfg.url, { perMessageDeflate: false, skipUTF8Validation: true });
  const sampled = sockets.length % SAMPLE_EVERY === 0;
  sockets.push(ws);
  let counted = false;
  const isReady = () => { if (!counted) { counted = true; ready++; } };
  ws.on('open', () => {
    if (token) ws.send(JSON.stringify({ type: 'auth', token }));
    if (!cfg.waitHello) isReady();
  });
  ws.on('message', (/** @type {Buffer} */ data) => {
    if (counted && !sampled) {
      if (data.includes(MESSAGE)) deliveries++;
      return;
    }
    const f = JSON.parse(String(data));
    if (f.type === 'hello') isReady();
    else if (f.type === 'message') {
      deliveries++;
      const at = Number(f.text);
      if (sampled && Number.isFinite(at)) latencies.push(now() - at);
    }
  });
  ws.on('error', (e) => { failed ||= e.message; });
  ws.on('close', (code) => { failed ||= `closed ${code}`; });
  return ws;
}

function send(/** @type {object} */ m) { if (process.send) process.send(m); }

const senders = cfg.tokens.length ? cfg.tokens.map((t) => open(t)) : Array.from({ length: cfg.senders }, () => open(undefined));
// the audience joins over about a second, as a crowd does
let opened = 0;
const ramp = setInterval(() => {
  for (let k = 0; k < 100 && opened < cfg.count; k++, opened++) open(undefined);
  if (opened >= cfg.count) clearInterval(ramp);
}, 50);
const deadline = Date.now() + cfg.readyTimeoutMs;
const check = setInterval(() => {
  if (ready >= cfg.count + senders.length || Date.now() > deadline) {
    clearInterval(check);
    send({ type: 'ready', ready, of: cfg.count + senders.length, failed });
  }
}, 50);

process.on('message', (/** @type {{ cmd: string, id?: number }} */ m) => {
  if (m.cmd === 'go') {
    senders.forEach((ws, i) => {
      const say = () => { if (ws.readyState === 1) { ws.send(JSON.stringify({ type: 'say', text: String(now()), nonce: `n${sent++}` })); } };
      // senders spread over the second, like people typing
      timers.push(setTimeout(() => { say(); timers.push(setInterval(say, 1000)); }, (1000 * i) / senders.length));
    });
  } else if (m.cmd === 'mark') {
    send({ type: 'mark', id: m.id, deliveries, latencies, sent, failed });
    deliveries = 0;
    latencies = [];
  } else if (m.cmd === 'stop') {
    for (const t of timers) clearInterval(t);
    for (const ws of sockets) ws.terminate();
    setTimeout(() => process.exit(0), 50);
  }
});
process.on('disconnect', () => process.exit(0));
