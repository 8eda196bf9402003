// Request ids: a sane incoming X-Request-Id (a proxy's) is kept, otherwise one is made here. Made ones are
// UUID-shaped, as log tooling expects, but cheap: a random prefix per process and a counter. Every media request
// gets one, and crypto.randomUUID costs a random draw and a serialization each (bench (e)). Ids name requests
// in logs; they are not secrets.
import { randomUUID } from 'node:crypto';

const SANE = /^[\w.:-]{1,64}$/;
/** `xxxxxxxx-xxxx-4xxx-yxxx-`: the version and variant nibbles of a v4 UUID stay as they are */
const PREFIX = randomUUID().slice(0, 24);
const SPAN = 2 ** 48;
let counter = Math.floor(Math.random() * SPAN);

export function newRequestId(): string {
  counter = (counter + 1) % SPAN;
  return PREFIX + counter.toString(16).padStart(12, '0');
}

/** The caller's id when it is sane, else a new one. */
export function requestIdOf(given: unknown): string {
  return typeof given === 'string' && SANE.test(given) ? given : newRequestId();
}
