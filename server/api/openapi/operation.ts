// One documented route: what server/api/openapi/operations.ts lists for each router path, and document.ts renders.
import type { z } from 'zod';
import type { RESPONSE_COMPONENTS } from '../response-schemas';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ComponentName = keyof typeof RESPONSE_COMPONENTS;

/** Who may call: nobody in particular, a signed-in user (session token), the admin token, or either. */
export type Access = 'anyone' | 'user' | 'admin' | 'userOrAdmin';

export interface ResponseSpec {
  description: string;
  /** a JSON body: the named component of response-schemas.ts */
  json?: ComponentName;
  /** a non-JSON body (page, image, metrics text) */
  media?: string;
}

export interface ApiOperation {
  method: HttpMethod;
  /** the path exactly as the Koa router has it, `:name` parameters and all (e.g. `/api/rooms/:id`) */
  path: string;
  summary: string;
  description?: string;
  tag: 'auth' | 'rooms' | 'chat' | 'admin' | 'pages' | 'service' | 'hooks';
  access: Access;
  /** schemas of the `:name` path parameters (a plain string when left out) */
  params?: Record<string, z.ZodType>;
  /** the zod object the route parses ctx.query with */
  query?: z.ZodObject;
  /** the zod schema the route parses the JSON body with, or a raw body's media types */
  body?: { json: z.ZodType } | { media: string[]; description: string };
  /** success statuses and the error statuses worth naming; every other status is an ApiErrorBody */
  responses: Record<number, ResponseSpec>;
}

/** Shorthands for the common answers. */
export const ok = (json: ComponentName, description = 'OK'): ResponseSpec => ({ description, json });
export const failure = (description: string): ResponseSpec => ({ description, json: 'ApiErrorBody' });
