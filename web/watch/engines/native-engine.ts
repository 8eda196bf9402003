// HLS played by the browser itself (Safari on iPhone without MediaSource).
import type { Engine, EngineEvents, Source } from './engine';

export function canPlayNativeHls(video: HTMLVideoElement): boolean {
  return video.canPlayType('application/vnd.apple.mpegurl') !== '';
}

export function startNative(video: HTMLVideoElement, source: Source, events: EngineEvents): Engine {
  const onError = () => events.fatal(`media error ${video.error?.code ?? '?'}`);
  const onMeta = () => events.ready();
  video.addEventListener('error', onError);
  video.addEventListener('loadedmetadata', onMeta);
  video.src = source.url;
  return {
    name: 'native',
    destroy() {
      video.removeEventListener('error', onError);
      video.removeEventListener('loadedmetadata', onMeta);
      video.removeAttribute('src');
      video.load(); // drops the connection
    },
  };
}
