// A live stream watched two ways (a tap and an rtmpdump player), for tests that attack the ingest beside it:
// `survives(attack)` runs the attack and then requires the stream to keep reaching both viewers.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RtmpIngest, RtmpIngestOptions } from '../../../server/media/rtmp/rtmp-ingest';
import { killAll, publish, rtmpdump, type ChildHandle } from '../../helpers/ffmpeg';
import { roomId, startIngest, TagRecorder, until } from './rtmp-fixture';

export interface WatchedStream {
  ingest: RtmpIngest;
  port: number;
  url: (room: string, query?: string) => string;
  room: string;
  tap: TagRecorder;
  publisher: ChildHandle;
  player: ChildHandle;
  /** bytes rtmpdump has written so far */
  playerBytes(): number;
  playerFile(): Buffer;
  survives(attack: () => Promise<void>): Promise<void>;
  /** wait until both viewers got more than `bytes` beyond what they had when this was called */
  flows(bytes?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWatchedStream(
  hooks: RtmpIngestOptions['hooks'], extra: Partial<RtmpIngestOptions> = {},
): Promise<WatchedStream> {
  const { ingest, port, url } = await startIngest(hooks, extra);
  const room = roomId();
  const tap = new TagRecorder();
  ingest.subscribe(room, tap);
  const dir = mkdtempSync(join(tmpdir(), 'wxlive-rtmp-watched-'));
  const file = join(dir, 'player.flv');
  const publisher = publish(url(room));
  await until(() => ingest.publisher(room) !== null, 10000, 'the publisher');
  const player = rtmpdump(url(room), file, 120);
  await until(() => ingest.rtmpViewers(room) === 1, 5000, 'the rtmpdump player');
  const playerBytes = () => { try { return statSync(file).size; } catch { return 0; } };

  const flows = async (bytes = 5000) => {
    const tapBefore = tap.bytes;
    const fileBefore = playerBytes();
    await until(() => tap.bytes > tapBefore + bytes && playerBytes() > fileBefore + bytes, 5000, 'the stream to keep flowing');
  };
  return {
    ingest, port, url, room, tap, publisher, player, playerBytes, flows,
    playerFile: () => readFileSync(file),
    async survives(attack) {
      await attack();
      await flows();
      expect(publisher.proc.exitCode).toBeNull();
      expect(player.proc.exitCode).toBeNull();
      expect(ingest.publisher(room)).not.toBeNull();
      await until(() => ingest.rtmpViewers(room) === 1, 2000, 'rtmpdump as the only RTMP player');
    },
    async stop() {
      await killAll();
      await ingest.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
