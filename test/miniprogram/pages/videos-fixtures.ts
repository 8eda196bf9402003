// Library videos and replays shaped as typings/vod.ts says and as the server builds them (absolute URLs on the
// API's host: VideoCatalog.playUrls, ReplayService.view); videos-page-server.test.ts checks the real ones.
import type { Replay, Video, VideoPlayResponse } from '../../../typings/vod';

export const BASE = 'http://127.0.0.1:8080';
export const NOW = Date.parse('2026-11-25T12:00:00.000Z');

let n = 0;
/** a 12-character base62 id, distinct per call */
export const vid = (): string => `V${String(++n).padStart(11, '0')}`;

export function video(over: Partial<Video> = {}): Video {
  const id = over.id ?? vid();
  return {
    id, name: `${id.toLowerCase()}.mp4`, title: `Video ${id}`, public: true, format: 'mp4', durationS: 3.04, sizeBytes: 1_234_567,
    video: { codec: 'h264', width: 320, height: 240 }, audio: { codec: 'aac', sampleRate: 44100, channels: 2 },
    createdAt: new Date(NOW - 86400_000).toISOString(), ...over,
  };
}

export function play(v: Video): VideoPlayResponse {
  return {
    play: {
      rtmp: `rtmp://127.0.0.1:1935/vod/${v.name}`, hls: `${BASE}/vod/${v.id}/index.m3u8`, file: `${BASE}/vod/${v.id}/file`,
      expiresAt: new Date(NOW + 3600_000).toISOString(),
    },
  };
}

export function replay(roomId: string, broadcastId: string, over: Partial<Replay> = {}): Replay {
  const base = `${BASE}/replay/${roomId}/${broadcastId}`;
  return {
    roomId, broadcastId, title: `Room ${roomId}`, startedAt: new Date(NOW - 7200_000).toISOString(),
    endedAt: new Date(NOW - 3600_000).toISOString(), durationS: 3725, public: true,
    hls: `${base}/index.m3u8`, mp4: `${base}.mp4`, ...over,
  };
}
