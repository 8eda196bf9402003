// Client frames (typings/chat.ts) from the socket's text: a bad frame (not JSON, not an object, unknown type)
// counts towards closing the socket; a frame of a known type with bad fields is only refused.
import {
  LIKE_MAX_PER_FRAME, NONCE_MAX_CHARS, SAY_MAX_CHARS, type ClientFrame,
} from '../../typings/chat';

export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; bad: true; message: string }
  | { ok: false; bad: false; message: string };

const bad = (message: string): ParsedFrame => ({ ok: false, bad: true, message });
const invalid = (message: string): ParsedFrame => ({ ok: false, bad: false, message });

/** Characters as people count them (code points, so an emoji is one), after trimming and flattening control characters. */
export function cleanText(text: string): { text: string; chars: number } {
  // one line: newlines and other control characters would break the overlay and the logs
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return { text: clean, chars: [...clean].length };
}

export function parseClientFrame(raw: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return bad('Frames must be JSON objects.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('Frames must be JSON objects.');
  const f = value as Record<string, unknown>;
  switch (f.type) {
    case 'auth':
      if (typeof f.token !== 'string' || f.token.length === 0 || f.token.length > 2048) return invalid('auth needs a token.');
      return { ok: true, frame: { type: 'auth', token: f.token } };
    case 'say': {
      if (typeof f.text !== 'string') return invalid('say needs a text.');
      if (f.nonce !== undefined && (typeof f.nonce !== 'string' || f.nonce.length > NONCE_MAX_CHARS)) {
        return invalid(`nonce must be a string of at most ${NONCE_MAX_CHARS} characters.`);
      }
      const { text, chars } = cleanText(f.text);
      if (chars < 1 || chars > SAY_MAX_CHARS) return invalid(`Messages are 1–${SAY_MAX_CHARS} characters.`);
      return { ok: true, frame: f.nonce === undefined ? { type: 'say', text } : { type: 'say', text, nonce: f.nonce } };
    }
    case 'like': {
      const n = f.count;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > LIKE_MAX_PER_FRAME) {
        return invalid(`like count must be a whole number from 1 to ${LIKE_MAX_PER_FRAME}.`);
      }
      return { ok: true, frame: { type: 'like', count: n } };
    }
    case 'cohost_request':
    case 'cohost_leave':
      return { ok: true, frame: { type: f.type } };
    default:
      return bad('Unknown frame type.');
  }
}
