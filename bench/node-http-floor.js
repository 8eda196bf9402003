// @ts-check
// The floor under bench row (e): a bare node:http server with no logic, answering the same players (bench/hls-clients.js:
// a playlist each second, each new 427 kB segment once, keep-alive) from one in-memory buffer. Its CPU per GB is what
// Node's HTTP stack costs by itself, against which wxlive's (e) figure and nginx's can be read.
//   node bench/node-http-floor.js [clients=300] [node flags…]
'use strict';

const { fork, spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const SERVER = `
const http = require('node:http');
process.on('SIGTERM', () => process.exit(0));
const segment = Buffer.alloc(427000, 7);
let seq = 0;
setInterval(() => seq++, 2000);
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/p.m3u8')) {
    const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:' + seq];
    for (let i = 0; i < 5; i++) lines.push('#EXTINF:2.0,', (seq + i) + '.ts?expires=1&sign=abc');
    const body = Buffer.from(lines.join('\\n') + '\\n');
    res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Content-Length': segment.length, 'Cache-Control': 'max-age=60', 'Accept-Ranges': 'bytes', ETag: '"s"' });
  res.end(segment);
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.argv[1]), '127.0.0.1', () => process.send && process.send('up'));
`;

const clients = Number(process.argv[2] ?? 300);
const flags = process.argv.slice(3);
const port = 18000 + Math.floor(Math.random() * 2000);
const server = spawn(process.execPath, [...flags, '-e', SERVER, String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
/** user + system CPU-s of the server so far */
const cpu = () => {
  const f = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

server.once('message', () => {
  const players = fork(join(__dirname, 'hls-clients.js'), [JSON.stringify({
    url: `http://127.0.0.1:${port}/p.m3u8`, count: clients, rampMs: 1000, pollMs: 1000, timeoutMs: 10000, readyTimeoutMs: 20000,
  })]);
  let startCpu = 0;
  players.on('message', (/** @type {{ type: string, id?: number, bytes?: number }} */ m) => {
    if (m.type === 'ready') {
      setTimeout(() => { startCpu = cpu(); players.send({ cmd: 'mark', id: 1 }); setTimeout(() => players.send({ cmd: 'mark', id: 2 }), 15000); }, 5000);
    } else if (m.type === 'mark' && m.id === 2) {
      const used = cpu() - startCpu;
      const gb = (m.bytes ?? 0) / 1e9;
      console.log(`bare node:http, ${clients} HLS clients, 15 s: ${used.toFixed(2)} CPU-s / ${gb.toFixed(2)} GB = ${(used / gb).toFixed(2)} CPU-s per GB`);
      players.kill();
      server.kill();
    }
  });
});
