// HTTP connections per client address (HTTP_MAX_PER_IP): one address cannot fill the listener's connection
// limit or the process's open files, so everyone else's API calls and players still get in. A new connection from
// an address at its cap takes the place of that address's oldest idle one (connected, or kept alive between
// requests, with no request in flight): behind a NAT a host and its audience share one address, and a fresh API
// call must win over a crowd of idle sockets. Only when every one of them is busy (FLV viewers, downloads) is the
// newcomer closed. Addresses in TRUSTED_PROXIES are not capped: every client behind them shares their address.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionCapOptions {
  maxPerAddress: number;
  /** the proxies of TRUSTED_PROXIES */
  exempt(address: string): boolean;
  /** a connection was closed for its address's cap: `evicted` an idle one for a newcomer, or `refused` the newcomer */
  onLimit(outcome: 'evicted' | 'refused', address: string): void;
}

/** Requests in flight on a socket (HTTP/1.1 pipelining may hold more than one). */
const inFlight = new WeakMap<Socket, number>();

export function capConnectionsPerAddress(server: Server, o: ConnectionCapOptions): void {
  /** each address's open sockets, oldest first (a Set keeps insertion order) */
  const byAddress = new Map<string, Set<Socket>>();

  server.on('request', (req, res) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1));
  });

  // an upgraded socket (the room chat's WebSocket) is never idle: it must not be evicted for a newcomer
  server.on('upgrade', (req) => inFlight.set(req.socket, 1));

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (o.exempt(address)) return;
    let open = byAddress.get(address);
    if (!open) byAddress.set(address, (open = new Set()));
    if (open.size >= o.maxPerAddress) {
      const idle = oldestIdle(open);
      if (!idle) {
        o.onLimit('refused', address);
        socket.destroy();
        return;
      }
      open.delete(idle);
      idle.destroy();
      o.onLimit('evicted', address);
    }
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      if (open.size === 0 && byAddress.get(address) === open) byAddress.delete(address);
    });
  });
}

function oldestIdle(open: Set<Socket>): Socket | undefined {
  for (const s of open) if (!inFlight.get(s)) return s;
  return undefined;
}
