// The RTMP ingest's public shapes (re-exported by rtmp-ingest.ts).
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { GuestSlot } from '../../../typings/cohost';

/** A publish or play request, as the hooks see it. */
export interface StreamRequest {
  /** NMS session id, unique per connection */
  sessionId: string;
  roomId: string;
  /** the guest slot the stream names (`/live/<roomId>~g1`), or null for the room's main stream */
  slot: GuestSlot | null;
  /** the stream name's query string, parsed; a repeated key gives an array (treat as malformed) */
  query: Record<string, string | string[] | undefined>;
  /** the peer's IP address */
  address: string;
}

/**
 * Order for a publisher: checkPublish → (one publisher per path, else refused without admitPublish) →
 * admitPublish (packets held) → Publish.Start → publishStarted (first packet in the hub) → … → publishStopped
 * (inside the socket's close: client gone, disconnect(), idle, malformed input). Every admitPublish that
 * resolved null gets exactly one publishStopped, even when the connection died before the verdict.
 * A refusal answers `NetStream.Publish.BadName` (description = the reason) and closes the connection.
 * For a player: checkPlay → Play.Start → playStarted → … → playStopped; a refusal answers
 * `NetStream.Play.Failed`. Hooks are never called once stop() has begun; a throwing hook is logged and
 * (for checks) refuses with 'internal_error'.
 */
export interface IngestHooks {
  /** Synchronous first check (signature). Return a reason string to refuse at once, or null to continue. */
  checkPublish(req: StreamRequest): string | null;
  /**
   * Asynchronous second check (room state, one publisher per room). Until it resolves, the publisher's packets
   * are held back (bounded) and reach no subscriber; on refusal they are discarded and the connection closed.
   */
  admitPublish(req: StreamRequest): Promise<string | null>;
  checkPlay(req: StreamRequest): string | null;
  /** The admitted publisher's first media packet reached the hub. */
  publishStarted(req: StreamRequest): void;
  /** An admitted publisher disconnected (socket closed, or closed by us). */
  publishStopped(req: StreamRequest): void;
  playStarted?(req: StreamRequest): void;
  playStopped?(req: StreamRequest): void;
}

/**
 * Receives whole FLV tags (11-byte header + body + 4-byte previous size): first the FLV file header, then
 * metadata, sequence headers and the cached GOP, then live tags. A tap stays attached across publishes:
 * when a later publish starts, a tap that already carried tags gets a fresh FLV file header first (so each
 * publish on a tap is a complete FLV stream). Buffers are shared with other subscribers and cached by the
 * hub: never modify one. A tag is valid until its GOP ends: the hub then calls onGopEnd, and reuses the memory of
 * that GOP's tags once the keyframe after it was delivered. Sequence headers and metadata stay valid.
 */
export interface TagTap {
  onTag(tag: Buffer): void;
  /**
   * The GOP so far ends and a keyframe is next: drop, or copy, every tag (or view into one) kept from before it,
   * including what waits in a socket's write queue. A tap without it must keep no tag past its onTag call.
   */
  onGopEnd?(): void;
  /** The publish feeding this tap ended (the tap stays attached for the next one), or the ingest stopped. */
  onEnd?(): void;
}

export interface PublisherInfo {
  address: string;
  /** ms since the epoch when the publisher connected */
  since: number;
  video: { codec: string; width: number; height: number; fps: number } | null;
  audio: { codec: string; sampleRate: number; channels: number } | null;
  bytesIn: number;
  /** bits/s over the last few seconds */
  bitrateIn: number;
}

export interface RtmpIngestOptions {
  port: number;
  host: string;
  log: Logger;
  /** reserved for NMS state files; nothing is written today (we do not start NMS's store) */
  dataDir: string;
  hooks: IngestHooks;
  /** a connection must have issued publish or play by then (default 10 s) */
  handshakeTimeoutMs?: number;
  /** admitPublish must have answered by then, or the publish is refused (default 10 s) */
  admissionTimeoutMs?: number;
  /** a publisher silent this long is closed (default 10 s): a dropped phone can then reconnect soon */
  publisherIdleMs?: number;
  /**
   * Connections in total (default 1000). Over a cap a newcomer is still accepted: the oldest connection that has not
   * published or played, or a player of a room that is not live, is evicted for it (of its address for the per-address
   * cap, anyone's for the total); with nobody to evict it may only publish. A little above this, fds run out: refused.
   */
  maxConnections?: number;
  /** of maxConnections, slots only publishers that passed checkPublish may use (default 50, at most 5 % of maxConnections) */
  publisherReserve?: number;
  /** connections per address, from the first byte (default 100); a signed publisher over it still gets in */
  maxPerIp?: number;
  /** RTMP players of one room (default 500): one more is refused (NetStream.Play.Failed rtmp_per_room) */
  maxPlayersPerRoom?: number;
  /** a player of a room without an admitted publisher is closed after this long (default 30 s) */
  idleViewerWaitMs?: number;
  /** a publisher whose media timestamps run faster than this multiple of the clock (past a few seconds' slack) is closed (default 3) */
  publishMaxSpeed?: number;
  /** payload buffers of partly received messages, all connections together (default 256 MiB) */
  parserBudgetBytes?: number;
  /** counts every refusal and close a limit makes, by reason (metrics.limitRefusals) */
  limitRefusals?: LimitCounter;
  /** serves plays of the `vod` app (library files); without it they are refused like any unknown app */
  vod?: VodPlayRoute;
}

/**
 * A play the ingest hands to a route (the vod app) instead of a hub: the patched NMS session, as far as a route
 * uses it (so nothing outside server/media/rtmp needs NMS's own shapes).
 */
export interface PlaySession {
  socket: Socket;
  streamName: string;
  streamPath: string;
  streamQuery: Record<string, string | string[] | undefined>;
  closing: boolean;
  outBytes: number;
  rtmp: { streamId?: number; outChunkSize: number; playStart?: number };
  /** seek and pause commands of this play */
  streamCommandHandler: ((invokeMessage: { cmd?: unknown; ms?: unknown; pause?: unknown }) => void) | null;
  /** an RTMP error status (e.g. NetStream.Play.StreamNotFound), then close */
  refuse(code: string, description: string): void;
  close(): void;
}

/** server/media/vod/vod-plays.ts: answers one admitted play of the vod app. */
export interface VodPlayRoute { play(session: PlaySession): void }

/** The part of a prom-client Counter<'reason'> the ingest uses. */
export interface LimitCounter { inc(labels: { reason: string }): void }
