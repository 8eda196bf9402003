// Message ids that sort by time: 9 base-36 digits of epoch ms, 3 of a per-millisecond sequence, then 5 random
// base62 characters. A newer message compares greater as a plain string (SQLite and CloudBase alike), so
// `before=<id>` pages by id alone; ids made by one process never go backwards, even within a millisecond or
// when the clock steps back (ties between nodes fall to the random part).
import { randomId } from '../rooms/ids';

const TIME_DIGITS = 9; // 36^9 ms reach past the year 5000
const SEQ_DIGITS = 3;
const SEQ_MAX = 36 ** SEQ_DIGITS - 1;

export const MESSAGE_ID_PATTERN = /^[0-9a-z]{12}[0-9A-Za-z]{5}$/;

let lastMs = 0;
let seq = 0;

export function newMessageId(atMs: number): string {
  let ms = Math.floor(atMs);
  if (ms <= lastMs) {
    ms = lastMs;
    seq += 1;
    if (seq > SEQ_MAX) { ms += 1; seq = 0; } // 46656 ids in one millisecond: borrow the next one
  } else {
    seq = 0;
  }
  lastMs = ms;
  return ms.toString(36).padStart(TIME_DIGITS, '0') + seq.toString(36).padStart(SEQ_DIGITS, '0') + randomId(5);
}
