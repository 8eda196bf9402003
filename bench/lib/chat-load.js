// @ts-check
// Workload (f): one room, `sockets` read-only room sockets and `senders` signed-in senders saying one message a
// second each (bench/chat-clients.js, its own process): delivery latency to every socket and server CPU over the
// window, against wxlive's room socket and a minimal `ws` broadcast server (bench/ws-floor.js) started in the same
// run as the floor.
'use strict';

const { join } = require('node:path');
const children = require('./children');
const { ipc } = require('./ipc');
const { freePort, waitListening } = require('./ports');
const { cpuWindow } = require('./proc-stats');

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {{ cpuS: number, sysS: number, helperS: number, windowS: number, deliveries: number, expected: number,
 *   latenciesMs: number[], cpuRounds?: number[] }} ChatResult
 * @typedef {{ name: string, pid: number, url: string, tokens: string[], waitHello: boolean, alive(): boolean,
 *   diagnostics(): string, stop(): Promise<void> }} ChatTarget
 */

/** The floor: bench/ws-floor.js on a free loopback port. @returns {Promise<ChatTarget>} */
async function startWsFloor() {
  const port = await freePort();
  const proc = children.start(process.execPath, [join(__dirname, '..', 'ws-floor.js'), String(port)], { name: 'ws floor', ipc: true, keepStdout: true });
  await waitListening(port, 10_000, () => (proc.exitCode !== null ? `ws floor exited: ${proc.tail()}` : null));
  return {
    name: 'ws floor', pid: /** @type {number} */ (proc.pid), url: `ws://127.0.0.1:${port}/`, tokens: [], waitHello: false,
    alive: () => proc.exitCode === null, diagnostics: () => proc.tail().trim(),
    stop: () => children.stop(proc, 3000),
  };
}

/**
 * wxlive's room socket: a room made by the bench user, one signed-in user per sender.
 * @param {import('./target').Target} wx
 * @param {number} senders
 * @returns {Promise<ChatTarget>}
 */
async function wxliveChat(wx, senders) {
  if (!wx.chatRoom) throw new Error(`${wx.name} has no room socket`);
  const { url, tokens } = await wx.chatRoom(senders);
  return { name: 'wxlive', pid: wx.pid, url, tokens, waitHello: true, alive: wx.alive, diagnostics: wx.diagnostics, stop: wx.stop };
}

/**
 * @param {ChatTarget} target
 * @param {{ sockets: number, senders: number }} load
 * @param {import('./workloads').Timing} t
 * @returns {Promise<ChatResult>}
 */
async function runChat(target, load, t) {
  const cfg = { url: target.url, count: load.sockets, tokens: target.tokens, senders: load.senders, waitHello: target.waitHello, readyTimeoutMs: 30_000 };
  const proc = children.start(process.execPath, [join(__dirname, '..', 'chat-clients.js'), JSON.stringify(cfg)], { name: 'chat clients', ipc: true });
  try {
    const ask = ipc(proc);
    t.log(`${target.name}: ${load.sockets} room sockets and ${load.senders} senders connecting`);
    const ready = await ask.next('ready', 40_000);
    if (ready.ready < ready.of) throw new Error(`${ready.ready} of ${ready.of} sockets were ready (${ready.failed || 'no error'})`);
    proc.send({ cmd: 'go' });
    await sleep(t.warmupMs);
    await ask.mark(); // the window starts
    const cpu = cpuWindow(target.pid);
    await sleep(t.windowMs);
    const { cpuS, sysS, helperS, windowS } = cpu.read();
    const m = await ask.mark();
    if (!target.alive()) throw new Error(`${target.name} died: ${target.diagnostics()}`);
    if (m.failed) throw new Error(`a socket failed during the window: ${m.failed}`);
    const everyone = load.sockets + load.senders;
    return {
      cpuS, sysS, helperS, windowS, deliveries: m.deliveries, expected: Math.round(load.senders * windowS * everyone),
      latenciesMs: m.latencies,
    };
  } finally {
    if (proc.connected) proc.send({ cmd: 'stop' });
    await children.stop(proc, 3000);
  }
}

module.exports = { runChat, startWsFloor, wxliveChat };
