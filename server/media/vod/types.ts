// What the RTMP VOD player needs from the rest of wxlive, and what its file readers give it.
import type { FileHandle } from 'node:fs/promises';
import type { VodCatalog as LibraryCatalog } from '../../vod/catalog-port';

/**
 * The library as the player uses it (server/vod/catalog-port.ts): the file of an RTMP name, and whether this play
 * may watch it (null: yes; otherwise the reason, e.g. a private video without a valid signature).
 */
export type VodCatalog = Pick<LibraryCatalog, 'byName' | 'checkPlay'>;

/**
 * One FLV tag to send: `head` (a few bytes built by the reader, or null) then `body` (a view into a read buffer,
 * never copied). The message is head + body.
 */
export interface VodTag {
  type: 8 | 9 | 18;
  /** decode time, ms */
  ts: number;
  head: Buffer | null;
  body: Buffer;
}

/** `size` bytes of the file at `offset` (fewer at its end), through the players' shared blocks (block-cache.ts) */
export type BlockReader = (fh: FileHandle, offset: number, size: number) => Promise<Buffer>;

/** Reads tags in decode order from a start point, in bounded chunks; close() releases the file. */
export interface VodCursor {
  next(): Promise<VodTag | null>;
  close(): Promise<void>;
}

/** What a file's index knows: built once per file version and shared by every player of it. */
export interface VodIndex {
  format: 'flv' | 'mp4';
  durationMs: number;
  /** the last tag's timestamp (ms): rtmpdump calls a download complete only once it reaches the metadata's duration */
  lastTs: number;
  /** FLV tag bodies: the AVC sequence header (AVCPacketType 0) and AAC AudioSpecificConfig (AACPacketType 0) */
  videoHeader: Buffer | null;
  audioHeader: Buffer | null;
  width: number;
  height: number;
  audioSampleRate: number;
  audioChannels: number;
  /** the time (ms) of the keyframe at or before `ms` (the first one for anything earlier) */
  keyframeAt(ms: number): number;
  /** a cursor from the keyframe at or before `ms` */
  open(ms: number): Promise<VodCursor>;
}
