// Parser pinning (issue 10, row 5): a peer names each message's length, and the parser allocates it on the first
// chunk. A player (or any socket before a signed publish) may hold only command-sized messages; all connections
// together hold at most parserBudgetBytes. Over either, that connection is closed and counted.
import { RtmpClass } from '../../../server/media/rtmp/nms';
import type { RtmpIngestOptions } from '../../../server/media/rtmp/rtmp-ingest';
import { RawRtmpClient } from '../../helpers/rtmp-client';
import { roomId, startIngest, testHooks, until } from './rtmp-fixture';

const CLOSE_MS = 2000;
const MiB = 1024 * 1024;
/** just under 8 MiB, so that three fit the old 24 MiB per-connection bound */
const LENGTH = 8 * MiB - 4096;
/** every message but its last byte: one shared buffer, so the clients' own memory does not grow per write */
const BODY = Buffer.alloc(LENGTH - 1, 0x41);

const clients: RawRtmpClient[] = [];
let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await stop?.();
  stop = null;
});

async function ingestWith(extra: Partial<RtmpIngestOptions> = {}) {
  const refusals: Record<string, number> = {};
  const s = await startIngest(testHooks().hooks, {
    handshakeTimeoutMs: 60_000, ...extra, limitRefusals: { inc: ({ reason }) => { refusals[reason] = (refusals[reason] ?? 0) + 1; } },
  });
  stop = () => s.ingest.stop();
  return { ...s, refusals };
}

async function started(port: number, kind: 'publish' | 'play', room: string): Promise<RawRtmpClient> {
  const c = await RawRtmpClient.open(port);
  clients.push(c);
  await c.handshake();
  c.start(kind, port, `${room}?k=ok`);
  await c.waitForText(kind === 'publish' ? 'NetStream.Publish.Start' : 'NetStream.Play.Start');
  return c;
}

/**
 * Leaves `n` video messages of LENGTH open on chunk streams 10, 11, …: with the chunk size at LENGTH - 1 each one
 * is a single chunk of all but its last byte, after which the parser is ready for the next chunk stream.
 */
function leaveOpen(c: RawRtmpClient, n: number): void {
  c.setChunkSize(LENGTH - 1);
  for (let i = 0; i < n; i++) {
    const header = Buffer.alloc(12);
    header[0] = 10 + i; // fmt 0, chunk stream 10 + i
    header.writeUIntBE(LENGTH, 4, 3);
    header[7] = 9; // video
    header.writeUInt32LE(1, 8); // message stream 1
    c.write(header);
    c.write(BODY);
  }
}

test('10 players each leaving three almost complete 8 MiB messages open: closed at once, memory stays flat', async () => {
  const s = await ingestWith();
  const room = roomId();
  const players = await Promise.all(Array.from({ length: 10 }, () => started(s.port, 'play', room)));
  const rss = process.memoryUsage().rss;
  const heldBefore = RtmpClass.heldBytesTotal();
  let heldMost = heldBefore;
  const watch = setInterval(() => { heldMost = Math.max(heldMost, RtmpClass.heldBytesTotal()); }, 5);
  try {
    for (const p of players) leaveOpen(p, 3);
    await Promise.all(players.map((p) => p.waitForClose(CLOSE_MS)));
  } finally {
    clearInterval(watch);
  }
  // before the per-session budget each held 24 MiB (240 MiB here), until the handshake deadline or longer
  expect(heldMost - heldBefore).toBeLessThan(MiB);
  expect(process.memoryUsage().rss - rss).toBeLessThan(64 * MiB);
  expect(s.refusals).toEqual({ rtmp_parser_budget: 10 });
});

test('signed publishers may hold big messages, up to the budget of all connections together', async () => {
  const s = await ingestWith({ parserBudgetBytes: 20 * MiB });
  const base = RtmpClass.heldBytesTotal();
  const [a, b, c] = [await started(s.port, 'publish', roomId()), await started(s.port, 'publish', roomId()), await started(s.port, 'publish', roomId())];
  leaveOpen(a!, 1);
  leaveOpen(b!, 1);
  await until(() => RtmpClass.heldBytesTotal() >= base + 2 * LENGTH, 3000, 'two 8 MiB messages held');
  leaveOpen(c!, 1); // 24 MiB together: over 20
  await c!.waitForClose(CLOSE_MS);
  expect([a!.isClosed, b!.isClosed]).toEqual([false, false]);
  expect(s.refusals).toEqual({ rtmp_parser_total: 1 });
  // a closed connection gives its buffers back
  a!.destroy();
  b!.destroy();
  await until(() => RtmpClass.heldBytesTotal() < base + MiB, 3000, 'the buffers to be released');
});
