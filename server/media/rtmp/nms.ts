// Typed access to the node-media-server 4.4.3 internals we build on (it ships no typings; see patches/).
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

/** A demuxed RTMP message (src/core/avpacket.js). `data` may be a reused parser buffer longer than `size`. */
export interface AvPacket {
  codec_id: number;
  /** 8 audio, 9 video, 18 script data */
  codec_type: number;
  /** 0 AAC seq header, 1 audio, 2 video seq header, 3 keyframe, 4 inter frame, 5 metadata */
  flags: number;
  pts: number;
  dts: number;
  size: number;
  data: Buffer;
}

/** src/session/base_session.js: every publisher, player and internal subscriber. */
export interface NmsSession {
  id: string;
  /** "address:port" for network peers; "" for internal subscribers (no auth, no play events) */
  ip: string;
  protocol: string;
  isPublisher: boolean;
  streamApp: string;
  streamName: string;
  streamPath: string;
  streamQuery: Record<string, string | string[] | undefined>;
  createTime: number;
  inBytes: number;
  outBytes: number;
  videoCodec: unknown;
  videoWidth: unknown;
  videoHeight: unknown;
  videoFramerate: unknown;
  audioCodec: unknown;
  audioChannels: unknown;
  audioSamplerate: unknown;
  sendBuffer: (buffer: Buffer) => void;
  close: () => void;
}

/** A packet receiver a postPublish listener installs on an RTMP session (patched rtmp_session.js). */
export interface PacketGate { push(packet: AvPacket): void }

/** src/session/rtmp_session.js as patched (refusal, packetGate, closing, refuse). */
export interface RtmpSession extends NmsSession {
  socket: Socket;
  broadcast: BroadcastServer;
  rtmp: {
    respondPublish(): void; streamId?: number; heldBytes: number; outChunkSize: number;
    /** the play command's start (ms; -2 live or recorded, -1 live) */
    playStart?: number;
  };
  refusal: string | null;
  packetGate: PacketGate | null;
  closing: boolean;
  /** set when the app is routed (Context.playRoutes): the play goes to the route, never to a hub */
  playRoute: ((session: RtmpSession) => void) | null;
  /** seek and pause commands of a routed play */
  streamCommandHandler: ((invokeMessage: { cmd?: unknown; ms?: unknown; pause?: unknown }) => void) | null;
  run(): void;
  /** the socket's 'data' listener that run() attaches: every byte read goes to the RTMP parser */
  onData(data: Buffer): void;
  refuse(code: string, description: string): void;
}

/** src/server/broadcast_server.js (the hub of one stream path). */
export interface BroadcastServer {
  streamPath: string;
  publisher: NmsSession | null;
  subscribers: Map<string, NmsSession>;
  publishGraceMs: number;
  /** the 13-byte FLV file header sent to each new 'flv' subscriber */
  flvHeader: Buffer;
  postPlay(session: NmsSession, onAccepted?: () => void): string | null;
  donePlay(session: NmsSession): void;
  broadcastMessage(packet: AvPacket): void;
}

export interface NmsContext {
  config: Record<string, unknown>;
  sessions: Map<string, NmsSession>;
  broadcasts: Map<string, BroadcastServer>;
  eventEmitter: EventEmitter;
  /** apps whose plays a handler serves itself (patched rtmp_session.js): `vod` */
  playRoutes?: Map<string, (session: RtmpSession) => void>;
}

export interface NmsLogger { level: string; log(message: string, level?: string): void }

type Ctor<T, A extends unknown[]> = new (...args: A) => T;

export const Context = require('node-media-server/src/core/context.js') as NmsContext;
export const nmsLogger = require('node-media-server/src/core/logger.js') as NmsLogger;
export const BaseSession = require('node-media-server/src/session/base_session.js') as Ctor<NmsSession, []>;
export const BroadcastServerClass = require('node-media-server/src/server/broadcast_server.js') as Ctor<BroadcastServer, [string]>;
/** src/protocol/rtmp.js as patched: the process-wide budget for partly received messages. */
export interface RtmpParserStatics {
  parserBudget: { totalBytes: number };
  heldBytesTotal(): number;
}

export const RtmpClass = require('node-media-server/src/protocol/rtmp.js') as RtmpParserStatics;
export const RtmpSessionClass = require('node-media-server/src/session/rtmp_session.js') as Ctor<RtmpSession, [Socket]>;
export const { parseH264Sps } = require('node-media-server/src/protocol/sps_info.js') as {
  parseH264Sps(sps: Buffer): { width: number; height: number } | null;
};
