// Short, URL-safe, random ids (base62): safe as RTMP stream names and path segments.
import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomId(length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export const ROOM_ID_PATTERN = /^[0-9A-Za-z]{12}$/;
export const BROADCAST_ID_PATTERN = /^[0-9A-Za-z]{10}$/;

export const newRoomId = (): string => randomId(12);
export const newBroadcastId = (): string => randomId(10);
