// Builds the video library from the config (issue 14): store, catalog, folder scanner, upload receiver, replays,
// and the /vod/<id>/file lane. server/server.ts makes one, hands `api`/`replays` to the API, chains `fileLane`
// ahead of Koa, and starts and closes it with the server.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { RequestLane } from '../api/media-lane';
import type { VideosApi } from '../api/routes/videos';
import { vodFileLane } from '../api/vod-file-lane';
import { statfsFreeBytes } from '../media/hls-output/disk-budget';
import type { RoomRecord } from '../store/room-store';
import { openVideoStore } from '../store/open-video-store';
import type { VideoStore } from '../store/video-store';
import { LibraryScanner } from './library-scanner';
import { ReplayService } from './replay-service';
import { UploadReceiver } from './upload-receiver';
import { VideoCatalog } from './video-catalog';

const MB = 1024 * 1024;

export interface VideoLibrary {
  store: VideoStore;
  catalog: VideoCatalog;
  replays: ReplayService;
  api: VideosApi;
  fileLane: RequestLane;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function openVideoLibrary(o: {
  config: Config; log: Logger; room(id: string): Promise<RoomRecord>;
  /** free bytes of a folder's file system (tests); statfs by default */
  freeBytes?: (dir: string) => number | Promise<number>;
}): VideoLibrary {
  const { config, log } = o;
  const store = openVideoStore(config, log);
  const root = join(config.DATA_DIR, 'vod');
  const secret = config.secrets.signingSecret;
  const catalog = new VideoCatalog({
    store, root, vodHlsRoot: join(config.DATA_DIR, 'vod-hls'), signingSecret: secret, playTtlS: config.PLAY_TTL_S, log,
  });
  const scanner = new LibraryScanner(catalog, { rescanMs: config.VOD_SCAN_S * 1000 });
  const uploads = new UploadReceiver({
    root, maxBytes: config.VOD_MAX_MB * MB, minFreeBytes: config.DISK_MIN_FREE_MB * MB,
    freeBytes: o.freeBytes ?? statfsFreeBytes, idleMs: config.VOD_UPLOAD_IDLE_S * 1000,
  });
  const replays = new ReplayService({ hlsRoot: join(config.DATA_DIR, 'hls'), store, room: o.room, signingSecret: secret, playTtlS: config.PLAY_TTL_S });
  return {
    store, catalog, replays,
    api: { catalog, uploads, uploadsPerMin: config.VOD_UPLOADS_PER_MIN },
    fileLane: vodFileLane({ catalog, log, trustedProxies: config.TRUSTED_PROXIES, maxStreams: config.FILE_STREAMS_MAX }),
    async start() {
      await uploads.sweep();
      await scanner.start();
    },
    async close() {
      await scanner.close();
      await store.close();
    },
  };
}
