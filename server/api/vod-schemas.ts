// Request schemas of the video library and replay routes (typings/vod.ts gives their TypeScript shapes).
import { z } from 'zod';

const oneValue = (v: unknown) => {
  const last: unknown = Array.isArray(v) ? v[v.length - 1] : v;
  return last === '' ? undefined : last;
};

export const videoListQuery = z.object({
  limit: z.preprocess(oneValue, z.coerce.number().int().min(1).max(100).default(20)),
  cursor: z.preprocess(oneValue, z.string().min(1).optional()),
});

export const videoIdParam = z.string().regex(/^[0-9A-Za-z]{12}$/);

export const videoPatchBody = z.object({
  title: z.string().trim().min(1, 'must be 1–100 characters').max(100, 'must be 1–100 characters')
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters').optional(),
  public: z.boolean().optional(),
}).strict().refine((b) => b.title !== undefined || b.public !== undefined, 'give title or public');

export const replayPatchBody = z.object({ public: z.boolean() }).strict();
