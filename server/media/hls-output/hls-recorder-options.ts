// What an HlsRecorder is built with: its folder and HLS settings, the disk budget and file system it writes
// through, and what it tells its owner.
import type { Logger } from 'pino';
import type { BroadcastBudget, DiskRefusal } from './disk-budget';
import type { RecorderFs } from './recorder-fs';

export interface HlsRecorderOptions {
  dir: string;
  fragmentS: number;
  playlistLengthS: number;
  replay: boolean;
  log: Logger;
  /** names the broadcast in ETags (default: the folder's name, which is the broadcast id) */
  broadcastId?: string;
  /** a segment is cut before it grows past this (HLS_MAX_SEGMENT_MB); the segmenter's default without it */
  maxSegmentBytes?: number;
  /** quotas and free space, asked before every write; without one only write errors pause the recording */
  budget?: BroadcastBudget;
  /** after a failed write, room is looked for at most this often (default 1 s) */
  retryMs?: number;
  /** the file system (default: node:fs/promises); tests make it slow or failing */
  fs?: RecorderFs;
  /** the recording ended because of a disk limit */
  onLimit?(reason: DiskRefusal): void;
  /** the disk fell behind (true) and caught up again (false): the caller holds the publisher meanwhile (DiskBacklog) */
  onBacklog?(behind: boolean): void;
  /** called once a playlist naming a new segment is served (stats, bench) */
  onSegment?(info: { index: number; durationS: number; bytes: number; cutAt: number; listedAt: number }): void;
}
