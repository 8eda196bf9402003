// Listening with a clear, one-line refusal when a port is taken (instead of a stack trace).
import type { Server } from 'node:net';

export class PortInUse extends Error {
  constructor(readonly what: string, readonly port: number, readonly host: string) {
    super(`port ${port} in use: the ${what} listener cannot start on ${host}:${port}; stop the other process or choose another port`);
    this.name = 'PortInUse';
  }
}

export class BadHost extends Error {
  constructor(readonly host: string) {
    super(`HOST ${host} is not an address of this machine; use 0.0.0.0 for all interfaces`);
    this.name = 'BadHost';
  }
}

export function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') reject(new PortInUse(what, port, host));
      else if (err.code === 'ENOTFOUND' || err.code === 'EADDRNOTAVAIL') reject(new BadHost(host));
      else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
