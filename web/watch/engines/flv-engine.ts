// HTTP-FLV through mpegts.js (MediaSource): lower latency than HLS, the same stream the mini-program plays.
import type { Engine, EngineEvents, Source } from './engine';

export async function startMpegts(video: HTMLVideoElement, source: Source, events: EngineEvents): Promise<Engine> {
  const { default: mpegts } = await import('mpegts.js');
  if (!mpegts.isSupported()) throw new Error('This browser has no MediaSource: HTTP-FLV cannot play here.');
  mpegts.LoggingControl.applyConfig({ enableVerbose: false, enableDebug: false, enableInfo: false });
  const player = mpegts.createPlayer({ type: 'flv', isLive: source.live, url: source.url, cors: true }, {
    enableWorker: false,
    lazyLoad: false,
    // keep the viewer near the live edge: drop buffered media when it lags, speed up a little when it drifts
    liveBufferLatencyChasing: true,
    liveBufferLatencyMaxLatency: 3,
    liveBufferLatencyMinRemain: 1,
    autoCleanupSourceBuffer: true,
  });
  player.on(mpegts.Events.ERROR, (type: string, detail: string) => events.fatal(`${type}: ${detail}`));
  // the server closed the stream (publisher gone or room ended): let the page find out which
  player.on(mpegts.Events.LOADING_COMPLETE, () => events.fatal('stream closed by the server'));
  player.on(mpegts.Events.MEDIA_INFO, () => events.ready());
  player.attachMediaElement(video);
  player.load();
  return {
    name: 'mpegts.js',
    destroy() {
      player.pause();
      player.unload();
      player.detachMediaElement();
      player.destroy();
    },
  };
}
