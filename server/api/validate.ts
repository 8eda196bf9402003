// Input validation with zod: the first problem becomes a 400 that names the field.
import type { z } from 'zod';
import { InvalidInput } from '../errors';

export function parse<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : where;
  throw new InvalidInput(`${field}: ${issue.message}`, 'invalid_request');
}
