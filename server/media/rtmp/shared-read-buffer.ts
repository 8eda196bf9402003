// RTMP sockets read into one buffer shared by every connection, through Node's `onread` mode (the one
// net.connect({ onread }) offers, here switched on for accepted sockets). The stream path costs, per read, a
// fresh ArrayBuffer, a Readable push, a nextTick and Node's per-tick promise bookkeeping; with 20 publishers
// that was a third of ingest's garbage. Sharing is safe because the session's parser copies every byte it keeps
// before it returns (handshake, chunk headers and payloads), and reads are handed over one at a time.
// pause()/resume() keep working: net.Socket stops and starts the handle itself in this mode.
import { Socket } from 'node:net';

const SHARED_BYTES = 64 * 1024;
const shared = Buffer.allocUnsafeSlow(SHARED_BYTES);

/** net.Socket's own symbols for its onread mode; null when this Node no longer has them (streams then). */
const onreadSymbols = ((): { buffer: symbol; callback: symbol; generator: symbol } | null => {
  const own = Object.getOwnPropertySymbols(new Socket());
  const find = (name: string) => own.find((s) => s.description === name);
  const buffer = find('kBuffer');
  const callback = find('kBufferCb');
  const generator = find('kBufferGen');
  return buffer && callback && generator ? { buffer, callback, generator } : null;
})();

interface UserBufferHandle {
  useUserBuffer?: (buf: Uint8Array) => void;
}

/**
 * Delivers the socket's bytes to `onData` as views of the shared buffer, valid only during the call. Returns
 * false (nothing changed) when the socket cannot read that way: TLS, or no handle; the caller reads 'data' then.
 */
export function readThroughSharedBuffer(socket: Socket, onData: (chunk: Buffer) => void): boolean {
  const handle = (socket as unknown as { _handle?: UserBufferHandle | null })._handle;
  if (!onreadSymbols || typeof handle?.useUserBuffer !== 'function' || 'encrypted' in socket) return false;
  const s = socket as unknown as Record<symbol, unknown>;
  s[onreadSymbols.buffer] = shared;
  s[onreadSymbols.generator] = null;
  s[onreadSymbols.callback] = (nread: number): void => onData(shared.subarray(0, nread));
  handle.useUserBuffer(shared);
  return true;
}
