// The room socket's limits and close codes, as values the mini-program can ship: its package cannot import
// typings/ at run time (only `import type` reaches it). test/miniprogram/lib/chat-limits.test.ts keeps them equal.
export const SAY_MAX_CHARS = 200;
export const NONCE_MAX_CHARS = 64;
export const LIKE_MAX_PER_FRAME = 50;
export const CLOSE_BANNED = 4001;
export const CLOSE_ROOM_GONE = 4004;
