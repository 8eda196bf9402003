// Request schemas of the chat's REST routes (issue 13; typings/chat.ts gives their TypeScript shapes).
import { z } from 'zod';
import { MUTE_MAX_MINUTES, NICKNAME_MAX_CHARS, SLOW_MODE_MAX_S } from '../../typings/chat';
import { cleanText } from '../chat/client-frames';
import { MESSAGE_ID_PATTERN } from '../chat/message-ids';

/** user ids as the server issues them: dev_…, wx_…, guest_… */
export const userIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a user id');
export const messageIdParam = z.string().regex(MESSAGE_ID_PATTERN, 'must be a message id');

export const muteBody = z.object({
  userId: userIdParam,
  minutes: z.number().int().min(1).max(MUTE_MAX_MINUTES),
}).strict();

export const banBody = z.object({ userId: userIdParam }).strict();

export const chatSettingsBody = z.object({
  slowModeS: z.number().int().min(0).max(SLOW_MODE_MAX_S),
  closed: z.boolean(),
}).strict();

/** 1–20 characters (code points) after trim, one line */
export const nickname = z.string().max(256).transform((v) => cleanText(v)).refine(
  (v) => v.chars >= 1 && v.chars <= NICKNAME_MAX_CHARS, `must be 1–${NICKNAME_MAX_CHARS} characters`,
).transform((v) => v.text);

export const nicknameBody = z.object({ nickname }).strict();
