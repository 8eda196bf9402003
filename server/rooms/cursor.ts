// Opaque pagination cursors: base64url of the last row's sort key. Clients must not parse them.
import { InvalidInput } from '../errors';
import type { ListPosition } from '../store/room-store';

export function encodeCursor(p: ListPosition): string {
  return Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListPosition {
  const bad = () => new InvalidInput('The cursor is not one this server issued.', 'invalid_cursor');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw bad();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(value) || value.length !== 2 || !Number.isSafeInteger(value[0]) || typeof value[1] !== 'string') {
    throw bad();
  }
  return { createdAt: value[0] as number, id: value[1] as string };
}
