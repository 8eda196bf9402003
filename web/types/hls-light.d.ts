// hls.js ships no declarations for its `light` build (same API without subtitles, alt audio, EME): reuse the full ones.
declare module 'hls.js/light' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
