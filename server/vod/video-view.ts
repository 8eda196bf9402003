// A stored video as the API shows it (ISO times, no file bookkeeping).
import type { Video } from '../../typings/vod';
import type { VideoRecord } from '../store/video-store';

export function videoView(r: VideoRecord): Video {
  return {
    id: r.id, name: r.name, title: r.title, public: r.public, format: r.format, durationS: r.durationS,
    sizeBytes: r.sizeBytes, video: r.video, audio: r.audio, createdAt: new Date(r.createdAt).toISOString(),
  };
}
