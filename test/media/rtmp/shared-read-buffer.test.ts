import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { readThroughSharedBuffer } from '../../../server/media/rtmp/shared-read-buffer';

describe('readThroughSharedBuffer', () => {
  let server: Server;
  let accepted: Promise<Socket>;
  let port: number;

  beforeEach(async () => {
    let resolve!: (s: Socket) => void;
    accepted = new Promise((r) => { resolve = r; });
    server = createServer(resolve);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterEach(() => {
    server.close();
  });

  it('delivers every byte of two connections, in order, through one shared buffer and no data event', async () => {
    const a = connect(port, '127.0.0.1');
    const sa = await accepted;
    accepted = new Promise((r) => server.once('connection', r));
    const b = connect(port, '127.0.0.1');
    const sb = await accepted;
    const got = new Map<Socket, Buffer[]>([[sa, []], [sb, []]]);
    const backing = new Set<ArrayBufferLike>();
    for (const s of [sa, sb]) {
      s.on('data', () => { throw new Error('the stream path was used'); });
      expect(readThroughSharedBuffer(s, (chunk) => {
        backing.add(chunk.buffer);
        got.get(s)!.push(Buffer.from(chunk)); // valid only during the call: keep a copy
      })).toBe(true);
    }
    const payloadA = Buffer.alloc(300_000, 0).map((_, i) => i % 251);
    const payloadB = Buffer.alloc(200_000, 0).map((_, i) => (i * 7) % 253);
    a.end(payloadA);
    b.end(payloadB);
    await Promise.all([once(sa, 'end'), once(sb, 'end')]);
    expect(Buffer.concat(got.get(sa)!).equals(payloadA)).toBe(true);
    expect(Buffer.concat(got.get(sb)!).equals(payloadB)).toBe(true);
    expect(backing.size).toBe(1); // one buffer for all reads of all sockets, nothing allocated per read
    sa.destroy();
    sb.destroy();
  });

  it('pause() stops the reads (back-pressure reaches the sender) and resume() brings the held bytes', async () => {
    const client = connect(port, '127.0.0.1');
    const socket = await accepted;
    let received = 0;
    readThroughSharedBuffer(socket, (chunk) => { received += chunk.length; });
    socket.pause();
    const total = 32 * 1024 * 1024; // far more than the kernel buffers on both ends can hold
    client.write(Buffer.alloc(total, 1));
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toBe(0);
    expect(client.writableLength).toBeGreaterThan(0); // the sender is held back, not the server's memory filled
    socket.resume();
    client.end();
    await once(socket, 'end');
    expect(received).toBe(total);
    socket.destroy();
  });

  it('a TLS-like socket is left to the stream path', async () => {
    const client = connect(port, '127.0.0.1');
    const socket = await accepted;
    Object.defineProperty(socket, 'encrypted', { value: true });
    expect(readThroughSharedBuffer(socket, () => undefined)).toBe(false);
    client.destroy();
    socket.destroy();
  });
});
