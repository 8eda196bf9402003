// Picks the engine for a source: mpegts.js for FLV; hls.js where MediaSource exists, else the browser's own HLS.
import type { Engine, EngineEvents, Source } from './engines/engine';
import { startMpegts } from './engines/flv-engine';
import { startHlsJs } from './engines/hls-engine';
import { canPlayNativeHls, startNative } from './engines/native-engine';

export type { Engine, EngineName, Source } from './engines/engine';

export class UnsupportedBrowser extends Error {}

function hasMediaSource(): boolean {
  return 'MediaSource' in window || 'ManagedMediaSource' in window;
}

/** Starts fetching the player library while the page is still asking the API about the room. */
export function preloadPlayer(format: Source['format']): void {
  const load = format === 'flv' ? import('mpegts.js') : hasMediaSource() ? import('hls.js/light') : null;
  load?.catch(() => { /* startPlayback will report it */ });
}

export async function startPlayback(video: HTMLVideoElement, source: Source, events: EngineEvents): Promise<Engine> {
  if (source.format === 'flv') return startMpegts(video, source, events);
  // hls.js first where it can run: it reconnects and follows the live edge more predictably than native players
  if (hasMediaSource()) {
    const engine = await startHlsJs(video, source, events);
    if (engine) return engine;
  }
  if (canPlayNativeHls(video)) return startNative(video, source, events);
  throw new UnsupportedBrowser('This browser cannot play HLS video.');
}
