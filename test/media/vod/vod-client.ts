// A tiny RTMP client for the VOD tests: bench/lib's play client, recording the status codes, data messages and media
// timestamps it gets, and able to send seek and pause (what ffplay and VLC send).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RtmpPlayer } = require('../../../bench/lib/rtmp-play.js') as { RtmpPlayer: new (t: unknown, h: unknown) => RawPlayer };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const amf = require('../../../bench/lib/amf0.js') as { decodeAll(b: Buffer): unknown[] };

interface RawPlayer {
  open(): void;
  close(why: string): void;
  command(name: string, txn: number, ...args: unknown[]): void;
  onCommand(v: unknown[]): void;
  onMessage(st: { type: number; body: Buffer[] | null }): void;
  chunkLeft: number;
  streamId: number;
}

export interface VodClient {
  statuses: string[];
  /** each status code with how many media messages had arrived before it */
  statusAt: Array<[string, number]>;
  data: unknown[][];
  /** [arrival ms since open, media ts] of audio/video messages */
  media: Array<[number, number]>;
  closed: string | null;
  raw: RawPlayer;
  seek(ms: number): void;
  pause(on: boolean, ms: number): void;
  close(): void;
}

/** `stopReadingAtFirstMedia`: the socket stops reading as the first media message arrives (a stalled client). */
export function vodClient(port: number, stream: string, stopReadingAtFirstMedia = false): VodClient {
  const t0 = Date.now();
  const c: VodClient = {
    statuses: [], statusAt: [], data: [], media: [], closed: null, raw: null as unknown as RawPlayer,
    seek: (ms) => c.raw.command('seek', 0, null, ms),
    pause: (on, ms) => c.raw.command('pause', 0, null, on, ms),
    close: () => c.raw.close('test'),
  };
  const target = { host: '127.0.0.1', port, app: 'vod', stream, tcUrl: `rtmp://127.0.0.1:${port}/vod` };
  const raw = new RtmpPlayer(target, {
    onMediaTs: (ts: number) => {
      if (stopReadingAtFirstMedia && c.media.length === 0) (c.raw as unknown as { sock: { pause(): void } }).sock.pause();
      c.media.push([Date.now() - t0, ts]);
    },
    onClose: (why: string) => { c.closed = why; },
  });
  const onCommand = raw.onCommand.bind(raw);
  raw.onCommand = (v) => {
    if (v[0] === 'onStatus') {
      const code = String((v[3] as { code?: string } | undefined)?.code);
      c.statuses.push(code);
      c.statusAt.push([code, c.media.length]);
    }
    onCommand(v);
  };
  const onMessage = raw.onMessage.bind(raw);
  raw.onMessage = (st) => {
    if (st.type === 18 && st.body) {
      const body = Buffer.concat(st.body);
      st.body = null;
      raw.chunkLeft = 0;
      c.data.push(amf.decodeAll(body));
      return;
    }
    onMessage(st);
  };
  c.raw = raw;
  raw.open();
  return c;
}
