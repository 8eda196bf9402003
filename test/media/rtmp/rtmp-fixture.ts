// Shared pieces of the RTMP ingest tests: a started ingest with in-test hooks, FLV tag recorders, polling.
import pino from 'pino';
import { RtmpIngest, type IngestHooks, type StreamRequest, type TagTap } from '../../../server/media/rtmp/rtmp-ingest';

export { sleep, until, within } from '../../helpers/wait';
import { sleep } from '../../helpers/wait';

export class TagRecorder implements TagTap {
  readonly tags: Buffer[] = [];
  bytes = 0;
  ends = 0;
  onTag(tag: Buffer): void {
    this.tags.push(tag);
    this.bytes += tag.length;
  }
  onEnd(): void {
    this.ends++;
  }
  /** FLV tag types after the file header (8 audio, 9 video, 18 script) */
  types(): number[] {
    return this.tags.filter((t) => !isFlvHeader(t)).map((t) => t[0]!);
  }
  all(): Buffer {
    return Buffer.concat(this.tags);
  }
}

export const isFlvHeader = (b: Buffer) => b.length === 13 && b.subarray(0, 3).toString('latin1') === 'FLV';

/** Test hooks: the query's `k` decides. ok → admitted; nope → refused at once; deny → refused by admitPublish. */
export interface HookLog { events: Array<[string, string, string]>; hooks: IngestHooks; admitDelayMs: number }

export function testHooks(): HookLog {
  const log: HookLog = { events: [], admitDelayMs: 150, hooks: null as unknown as IngestHooks };
  const record = (name: string) => (req: StreamRequest) => void log.events.push([name, req.roomId, req.sessionId]);
  log.hooks = {
    checkPublish: (req) => (req.query.k === 'ok' || req.query.k === 'deny' ? null : 'bad_key'),
    admitPublish: async (req) => {
      await sleep(log.admitDelayMs);
      log.events.push(['admitPublish', req.roomId, req.sessionId]);
      return req.query.k === 'deny' ? 'room_ended' : null;
    },
    checkPlay: (req) => (req.query.k === 'ok' ? null : 'bad_key'),
    publishStarted: record('publishStarted'),
    publishStopped: record('publishStopped'),
    playStarted: record('playStarted'),
    playStopped: record('playStopped'),
  };
  return log;
}

export function count(log: HookLog, name: string, roomId: string): number {
  return log.events.filter(([n, r]) => n === name && r === roomId).length;
}

/** An ingest on port 0 (the port it got is returned: parallel workers never race for one). */
export async function startIngest(hooks: IngestHooks, extra: Partial<ConstructorParameters<typeof RtmpIngest>[0]> = {}) {
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const ingest = new RtmpIngest({ port: 0, host: '127.0.0.1', log, dataDir: '/nonexistent', hooks, ...extra });
  const port = await ingest.start();
  return { ingest, port, url: (room: string, query = 'k=ok') => `rtmp://127.0.0.1:${port}/live/${room}?${query}` };
}

let n = 0;
/** A fresh, valid room id (12 base62 characters). */
export const roomId = (): string => `room${String(Date.now() % 1e6).padStart(6, '0')}${String(n++).padStart(2, '0')}`;
