// What the embedded plane needs from the RTMP ingest (server/media/rtmp), declared on this side.
export interface StreamRequest {
  sessionId: string;
  roomId: string;
  query: Record<string, string | string[] | undefined>;
  address: string;
}

export interface TagTap { onTag(tag: Buffer): void; onEnd?(): void }

export interface PublisherInfo {
  address: string;
  since: number;
  video: { codec: string; width: number; height: number; fps: number } | null;
  audio: { codec: string; sampleRate: number; channels: number } | null;
  bytesIn: number;
  bitrateIn: number;
}
