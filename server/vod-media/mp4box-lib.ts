// GPAC's mp4box.js, typed. Its package.json maps types only through `exports` conditions, which this project's
// `moduleResolution: node` does not read, so the types are imported by path and the module is required by name.
import type * as Mp4box from 'mp4box/dist/mp4box.all.cjs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const mp4box = require('mp4box') as typeof Mp4box;
export type { Mp4box };
