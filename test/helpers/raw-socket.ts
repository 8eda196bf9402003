// An HTTP client at the socket level, for attacks fetch cannot make: headers sent a byte at a time, a
// response that is never read (the server's writes back up), a connection that only sits there.
import { connect, type Socket } from 'node:net';

const KEPT = 64 * 1024;

export class RawSocket {
  /** the first KEPT bytes the server sent (its response head and the start of the body) */
  received = Buffer.alloc(0);
  /** every byte read so far */
  bytes = 0;
  closedAt: number | null = null;
  readonly openedAt = Date.now();
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.bytes += d.length;
      if (this.received.length < KEPT) this.received = Buffer.concat([this.received, d]).subarray(0, KEPT);
    });
    socket.on('error', () => { /* a reset is one way the server closes */ });
    this.closed = new Promise((resolve) => socket.once('close', () => { this.closedAt = Date.now(); resolve(); }));
  }

  /** Connects to 127.0.0.1:`port` and sends `head` (e.g. a request line and some headers), if any. */
  static open(port: number, head = ''): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.off('error', reject);
        const raw = new RawSocket(socket);
        if (head) socket.write(head);
        resolve(raw);
      });
      socket.once('error', reject);
    });
  }

  /** A GET for `path` whose response this socket will read only when told (read()). */
  static async get(port: number, path: string, headers: Record<string, string> = {}): Promise<RawSocket> {
    const lines = Object.entries({ host: '127.0.0.1', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const raw = await RawSocket.open(port, `GET ${path} HTTP/1.1\r\n${lines}\r\n`);
    return raw;
  }

  get text(): string {
    return this.received.toString('latin1');
  }

  /** The status code of the response head, once received, or null. */
  get status(): number | null {
    const m = /^HTTP\/1\.1 (\d{3}) /.exec(this.text);
    return m ? Number(m[1]) : null;
  }

  /** The response body as JSON (a refusal's `{error}`), once its head and a Content-Length body are in. */
  get json(): any {
    const at = this.text.indexOf('\r\n\r\n');
    const length = /\r\ncontent-length: (\d+)\r\n/i.exec(this.text);
    if (at < 0 || !length || this.text.length < at + 4 + Number(length[1])) return null;
    return JSON.parse(this.text.slice(at + 4, at + 4 + Number(length[1])));
  }

  get isClosed(): boolean {
    return this.closedAt !== null;
  }

  /** Stop reading: the kernel buffers fill and the server's writes back up, like a client on a slow link. */
  pause(): void {
    this.socket.pause();
  }

  read(): void {
    this.socket.resume();
  }

  write(bytes: string): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}
