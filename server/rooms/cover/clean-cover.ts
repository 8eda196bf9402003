// A cover upload's bytes → the image to store: its type sniffed from the bytes (never the name or the label
// alone), then stripped of metadata (png-clean.ts, jpeg-clean.ts).
import type { CoverUploadType } from '../../../typings/api';
import { DomainError } from '../../errors';
import { cleanJpeg } from './jpeg-clean';
import { cleanPng, PNG_SIGNATURE, type CleanImage } from './png-clean';

export type CoverType = CoverUploadType;
export const COVER_TYPES: readonly CoverType[] = ['image/jpeg', 'image/png'];
export const COVER_EXTENSION: Record<CoverType, 'jpg' | 'png'> = { 'image/jpeg': 'jpg', 'image/png': 'png' };

/** What the bytes are, by their magic numbers: PNG's 8-byte signature, JPEG's SOI followed by a marker. */
export function sniffImage(bytes: Buffer): CoverType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

export const unsupportedType = (): DomainError =>
  new DomainError('unsupported_media', 'cover_unsupported_type', 'Send the cover as image/jpeg or image/png.');

/** The cleaned image of a body labelled `declared`; 415 when the bytes are not that type. */
export function cleanCover(bytes: Buffer, declared: CoverType): CleanImage & { type: CoverType } {
  const actual = sniffImage(bytes);
  if (actual === null) throw new DomainError('unsupported_media', 'cover_unsupported_type', 'The body is not a JPEG or PNG image.');
  if (actual !== declared) {
    throw new DomainError('unsupported_media', 'cover_type_mismatch', `The body is ${actual === 'image/png' ? 'a PNG' : 'a JPEG'} image, but it was sent as ${declared}.`);
  }
  return { ...(actual === 'image/png' ? cleanPng(bytes) : cleanJpeg(bytes)), type: actual };
}
