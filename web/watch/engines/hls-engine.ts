// HLS through hls.js (MediaSource): loaded on demand so the page shell stays small.
import type { Engine, EngineEvents, Source } from './engine';

/** Media errors hls.js may try to recover in place before the page reconnects from scratch. */
const MEDIA_RECOVERIES = 2;

/** Starts hls.js on the video, or resolves null when this browser has no usable MediaSource. */
export async function startHlsJs(video: HTMLVideoElement, source: Source, events: EngineEvents): Promise<Engine | null> {
  // the light build drops subtitles, alternate audio and DRM, none of which a wxlive stream has
  const { default: Hls } = await import('hls.js/light');
  if (!Hls.isSupported()) return null;
  const hls = new Hls(source.live
    ? { liveSyncDurationCount: 3, liveMaxLatencyDurationCount: 10, backBufferLength: 30 }
    : { startPosition: 0, backBufferLength: 60 });
  let recoveries = 0;
  hls.on(Hls.Events.MANIFEST_PARSED, () => events.ready());
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && recoveries++ < MEDIA_RECOVERIES) {
      hls.recoverMediaError();
      return;
    }
    events.fatal(`${data.type}: ${data.details}`);
  });
  hls.loadSource(source.url);
  hls.attachMedia(video);
  return { name: 'hls.js', destroy: () => hls.destroy() };
}
