// The refusals a cover image can get; the HTTP layer maps their kinds to 400 / 413 / 415.
import { COVER_MAX_BYTES } from '../../../typings/api';
import { DomainError } from '../../errors';

/** Covers are at most COVER_MAX_BYTES (2 MB, typings/api.ts) and this many pixels on a side: viewers' phones decode them. */
export { COVER_MAX_BYTES };
export const COVER_MAX_SIDE = 4096;

export const damaged = (what: string): DomainError =>
  new DomainError('invalid', 'cover_damaged', `The ${what} image is damaged or truncated.`);

export const tooManyPixels = (width: number, height: number): DomainError =>
  new DomainError('invalid', 'cover_dimensions',
    `The image is ${width}×${height} pixels; covers may be at most ${COVER_MAX_SIDE} pixels on a side.`);
