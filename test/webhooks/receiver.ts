// A local webhook receiver (node http on port 0): keeps every request it gets and answers with the statuses
// it is told, in turn (the last one repeats).
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received { headers: IncomingHttpHeaders; body: string; event: { id: string; type: string; at: string; data: any } }

export interface Receiver {
  url: string;
  received: Received[];
  /** what the next requests are answered with (the last one repeats); 'hang' never answers */
  answers: (number | 'hang')[];
  /** requests being answered right now, and the most there ever were at once */
  open: number;
  maxOpen: number;
  /** a body to send with every answer */
  answerBody: string;
  close(): Promise<void>;
}

export async function startReceiver(answers: (number | 'hang')[] = [200]): Promise<Receiver> {
  const hanging: ServerResponse[] = [];
  let server: Server;
  const r: Receiver = {
    url: '', received: [], answers, open: 0, maxOpen: 0, answerBody: 'ok',
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    r.open += 1;
    r.maxOpen = Math.max(r.maxOpen, r.open);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      r.received.push({ headers: req.headers, body, event: JSON.parse(body) });
      const answer = r.answers.length > 1 ? r.answers.shift()! : r.answers[0]!;
      if (answer === 'hang') { hanging.push(res); return; }
      // a moment's work, so concurrent attempts overlap here
      setTimeout(() => {
        r.open -= 1;
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(r.answerBody);
      }, 20);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}
