// A local HTTP server that answers GET /sns/jscode2session the way WeChat's API does, and records
// what it was asked. Replies are chosen per js_code, so one server serves every case of a test file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Code2SessionRequest { path: string; query: Record<string, string> }

/** What to answer for a js_code: a JSON body, raw text, or never answering at all. */
export type WireReply = { json: unknown; status?: number } | { text: string; status: number } | { hang: true };

export interface WechatWireServer {
  base: string;
  requests: Code2SessionRequest[];
  close(): Promise<void>;
}

export async function startWechatWireServer(replyFor: (jsCode: string) => WireReply): Promise<WechatWireServer> {
  const requests: Code2SessionRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://wechat.local');
    requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    // a path prefix is allowed, as behind an API gateway that WECHAT_API_BASE may point at
    if (req.method !== 'GET' || !url.pathname.endsWith('/sns/jscode2session')) {
      res.writeHead(404).end();
      return;
    }
    const reply = replyFor(url.searchParams.get('js_code') ?? '');
    if ('hang' in reply) return; // the test's timeout case: never answer
    if ('text' in reply) {
      res.writeHead(reply.status, { 'content-type': 'text/html' }).end(reply.text);
      return;
    }
    // WeChat answers errors with HTTP 200 and an errcode in the body
    res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain' }).end(JSON.stringify(reply.json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
