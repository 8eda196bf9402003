// @ts-check
// The floor of workload (f): the least a WebSocket chat server can do — `ws`, one room, every text frame a client
// sends goes to every client as `{"type":"message","text":…}`. No sessions, storage, limits or moderation: what
// wxlive's room socket costs above this is the price of being a product.
'use strict';

const { WebSocketServer } = require('ws');

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0), perMessageDeflate: false, maxPayload: 4096 });
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    let frame;
    try { frame = JSON.parse(String(data)); } catch { return; }
    if (frame?.type !== 'say' || typeof frame.text !== 'string') return;
    const out = JSON.stringify({ type: 'message', text: frame.text, nonce: frame.nonce });
    for (const client of wss.clients) if (client.readyState === 1) client.send(out);
  });
});
wss.on('listening', () => process.stdout.write(`listening ${JSON.stringify(wss.address())}\n`));
process.on('disconnect', () => process.exit(0));
