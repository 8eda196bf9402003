// Request schemas of the HTTP contract (typings/api.ts gives their TypeScript shapes).
import { z } from 'zod';
import type { RoomStatus } from '../../typings/api';
import { ROOM_ID_PATTERN } from '../rooms/ids';

export const loginBody = z.object({ code: z.string().trim().min(1, 'is required').max(256) });

export const createRoomBody = z.object({
  title: z.string().trim().min(1, 'must be 1–64 characters').max(64, 'must be 1–64 characters')
    // one line of text: control characters would break list views and logs
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters'),
  // https only: the mini-program's <image> loads only https in release, and an http cover on the watch page
  // is mixed content (or a plain-text tracker of who watches)
  cover: z.string().trim().max(1024).url('must be an https:// URL')
    .refine((v) => /^https:\/\//i.test(v), 'must be an https:// URL').optional(),
}).strict();

/** A repeated parameter counts by its last value; an empty one (`?status=`) as absent, like an empty env var. */
const oneValue = (v: unknown) => {
  const last: unknown = Array.isArray(v) ? v[v.length - 1] : v;
  return last === '' ? undefined : last;
};

export const listQuery = z.object({
  status: z.preprocess(oneValue, z.enum(['idle', 'live', 'ended'] as const satisfies readonly RoomStatus[]).optional()),
  limit: z.preprocess(oneValue, z.coerce.number().int().min(1).max(100).default(20)),
  cursor: z.preprocess(oneValue, z.string().min(1).optional()),
});

export const roomIdParam = z.string().regex(ROOM_ID_PATTERN);
