// What the watch page asks of a playback engine (hls.js, native HLS, mpegts.js): attach a source, report fatal errors.

export type EngineName = 'hls.js' | 'native' | 'mpegts.js';

export interface Source {
  url: string;
  format: 'hls' | 'flv';
  /** a live edge to follow (true) or a recording to play from the start (false) */
  live: boolean;
}

export interface EngineEvents {
  /** the engine cannot go on by itself; the page decides whether to reconnect */
  fatal(reason: string): void;
  /** enough is loaded to call play() */
  ready(): void;
}

export interface Engine {
  readonly name: EngineName;
  destroy(): void;
}
