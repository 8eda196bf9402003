// Open connections of a listener, counted as they come and go (net.Server.getConnections is asynchronous).
import type { Server } from 'node:net';

export function countConnections(server: Server): () => number {
  let open = 0;
  server.on('connection', (socket) => {
    open++;
    socket.once('close', () => open--);
  });
  return () => open;
}
