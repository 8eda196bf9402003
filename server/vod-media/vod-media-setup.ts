// Wiring for startServer: the VOD media service over DATA_DIR (vod-hls/ for renditions, hls/ for replays), with
// what a crashed earlier process left half made removed first (temp folders of renditions never renamed).
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { VodMediaHttp, type ReplayAccess, type VodCatalogPort } from './vod-media-http';

/** `<id>.<pid>.<hex>.tmp` (vod-hls-maker's temp folders) */
const TEMP = /\.(\d+)\.[0-9a-f]+\.tmp$/;

/** Removes renditions' temp folders of other (dead) processes; returns their names. */
export async function tidyVodHls(root: string): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const stale = names.filter((n) => {
    const m = TEMP.exec(n);
    return m !== null && Number(m[1]) !== process.pid;
  });
  await Promise.all(stale.map((n) => rm(join(root, n), { recursive: true, force: true })));
  return stale;
}

export interface VodMediaSetup {
  dataDir: string;
  catalog: VodCatalogPort;
  /** HLS_FRAGMENT_S */
  fragmentS: number;
  replayAccess?: ReplayAccess;
  writing?(roomId: string, broadcastId: string): Promise<void> | undefined;
  jobs?: number;
}

export async function createVodMedia(o: VodMediaSetup): Promise<VodMediaHttp> {
  const vodHlsRoot = join(o.dataDir, 'vod-hls');
  await tidyVodHls(vodHlsRoot);
  return new VodMediaHttp({ ...o, vodHlsRoot, hlsRoot: join(o.dataDir, 'hls') });
}
