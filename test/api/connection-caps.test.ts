// HTTP_MAX_PER_IP over a real Node HTTP server: a new connection from an address at its cap takes the place of
// that address's oldest idle socket, is closed only when all of them are busy, and never touches another
// address's sockets; an exempt (trusted proxy) address is not capped.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { capConnectionsPerAddress } from '../../server/api/connection-caps';
import { until } from '../helpers/wait';

let server: Server;
let port: number;
const held: ServerResponse[] = [];
const outcomes: string[] = [];
const sockets: Socket[] = [];
let exempt = '';

beforeEach(async () => {
  outcomes.length = 0;
  exempt = '';
  server = createServer((req, res) => {
    if (req.url === '/hold') held.push(res); // a long response: an FLV viewer, a slow download
    else res.end('ok');
  });
  capConnectionsPerAddress(server, {
    maxPerAddress: 3, exempt: (a) => a === exempt, onLimit: (outcome, address) => outcomes.push(`${outcome} ${address}`),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const r of held.splice(0)) r.end();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function open(from = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', localAddress: from }, () => resolve(s));
    s.resume(); // read what comes, so a close from the server is seen
    s.once('error', reject);
    sockets.push(s);
  });
}

const closed = (s: Socket) => s.destroyed || s.readyState === 'closed';
/** Sends a GET and resolves to the response's first bytes, or '' when the server closed without answering. */
function get(s: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    s.once('data', (d) => resolve(d.toString()));
    s.once('close', () => resolve(''));
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  });
}

test('at the cap, a newcomer takes the place of the oldest idle socket and is answered', async () => {
  const idle = [await open(), await open(), await open()];
  const newcomer = await open();
  expect(await get(newcomer, '/ok')).toMatch(/^HTTP\/1.1 200/);
  await until(() => closed(idle[0]!), 2000, 'the oldest idle socket to be closed');
  expect(idle.slice(1).some(closed)).toBe(false);
  expect(outcomes).toEqual(['evicted 127.0.0.1']);
});

test('a socket with a request in flight is never evicted: with all busy the newcomer is closed', async () => {
  const busy = [await open(), await open(), await open()];
  for (const s of busy) s.write('GET /hold HTTP/1.1\r\nHost: x\r\n\r\n');
  await until(() => held.length === 3, 2000, 'three held responses');
  const newcomer = await open();
  expect(await get(newcomer, '/ok')).toBe('');
  expect(busy.some(closed)).toBe(false);
  expect(outcomes).toEqual(['refused 127.0.0.1']);
  // once a response ends its socket is idle again, and the next newcomer takes its place
  held.shift()!.end();
  await new Promise((r) => setTimeout(r, 50));
  expect(await get(await open(), '/ok')).toMatch(/^HTTP\/1.1 200/);
  await until(() => closed(busy[0]!), 2000, 'the socket whose response ended to make way');
});

test('another address keeps its own places; an exempt address has no cap', async () => {
  const busy = [await open(), await open(), await open()];
  for (const s of busy) s.write('GET /hold HTTP/1.1\r\nHost: x\r\n\r\n');
  await until(() => held.length === 3, 2000, 'three held responses');
  expect(await get(await open('127.0.0.2'), '/ok')).toMatch(/^HTTP\/1.1 200/);
  exempt = '127.0.0.3';
  const many = await Promise.all(Array.from({ length: 6 }, () => open('127.0.0.3')));
  expect((await Promise.all(many.map((s) => get(s, '/ok')))).every((r) => r.startsWith('HTTP/1.1 200'))).toBe(true);
  expect(outcomes).toEqual([]);
});
