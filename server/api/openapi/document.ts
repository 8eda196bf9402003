// The OpenAPI 3.1 document, built from the zod schemas the routes validate with (request side) and
// response-schemas.ts (answers), through zod 4's own JSON Schema output (draft 2020-12, OpenAPI 3.1's dialect).
import { z } from 'zod';
import { RESPONSE_COMPONENTS } from '../response-schemas';
import type { Access, ApiOperation, ResponseSpec } from './operation';
import { OPERATIONS } from './operations';

type Json = Record<string, unknown>;

const COMPONENT_URI = (id: string) => `#/components/schemas/${id}`;

/** A zod schema as an inline JSON Schema (no `$schema` line: the document names the dialect once). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function componentSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(RESPONSE_COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io: 'output', unrepresentable: 'any', uri: COMPONENT_URI });
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => {
    const { $schema: _, $id: __, ...rest } = s as Json;
    return [id, rest];
  }));
}

/** `/api/rooms/:id` → `/api/rooms/{id}` */
export const openApiPath = (koaPath: string): string => koaPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const SECURITY: Record<Access, Json[] | undefined> = {
  anyone: undefined,
  user: [{ session: [] }],
  admin: [{ adminToken: [] }],
  userOrAdmin: [{ session: [] }, { adminToken: [] }],
};

function response(spec: ResponseSpec): Json {
  if (spec.json) return { description: spec.description, content: { 'application/json': { schema: { $ref: COMPONENT_URI(spec.json) } } } };
  if (spec.media) return { description: spec.description, content: { [spec.media]: {} } };
  return { description: spec.description };
}

function parameters(op: ApiOperation): Json[] {
  const names = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const inPath = names.map((name) => ({
    name, in: 'path', required: true,
    schema: op.params?.[name] ? jsonSchema(op.params[name]!, 'output') : { type: 'string' },
  }));
  const inQuery = Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
    name, in: 'query', required: !(schema as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(schema as z.ZodType, 'output'),
  }));
  return [...inPath, ...inQuery];
}

function operation(op: ApiOperation): Json {
  const out: Json = {
    operationId: `${op.method}${op.path.replace(/\/:?([A-Za-z0-9_]+)/g, (_m, w: string) => w[0]!.toUpperCase() + w.slice(1)).replace(/[^A-Za-z0-9]/g, '')}`,
    summary: op.summary,
    tags: [op.tag],
  };
  if (op.description) out.description = op.description;
  const params = parameters(op);
  if (params.length) out.parameters = params;
  if (op.body && 'json' in op.body) {
    out.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(op.body.json, 'input') } } };
  } else if (op.body) {
    out.requestBody = { required: true, description: op.body.description, content: Object.fromEntries(op.body.media.map((m) => [m, {}])) };
  }
  const security = SECURITY[op.access];
  if (security) out.security = security;
  out.responses = {
    ...Object.fromEntries(Object.entries(op.responses).map(([status, spec]) => [status, response(spec)])),
    default: { $ref: '#/components/responses/Error' },
  };
  return out;
}

export interface DocumentOptions {
  /** the server URL integrators should call (PUBLIC_HTTP_URL); relative (same origin) when left out */
  serverUrl?: string;
  version?: string;
}

export function buildOpenApiDocument(opts: DocumentOptions = {}, operations: readonly ApiOperation[] = OPERATIONS): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations) (paths[openApiPath(op.path)] ??= {})[op.method] = operation(op);
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'wxlive HTTP API',
      version: opts.version ?? '0.1.0',
      description: 'Rooms, push and play URLs, chat scroll-back and admin calls of a wxlive server. Errors are always '
        + '`{"error":{"code","message"}}` (code is snake_case and stable). Media (HTTP-FLV `/live/…`, HLS `/hls/…`, '
        + 'replays `/replay/…`) is served from the signed URLs of `GET /api/rooms/{id}/play`; the room chat is a WebSocket at '
        + '`/api/rooms/{id}/socket` (frames in typings/chat.ts).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: opts.serverUrl ?? '/' }],
    tags: [
      { name: 'auth' }, { name: 'rooms' }, { name: 'chat' }, { name: 'admin' }, { name: 'service' }, { name: 'pages' }, { name: 'hooks' },
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      responses: {
        Error: {
          description: 'Any failure: `{"error":{"code","message"}}`',
          content: { 'application/json': { schema: { $ref: COMPONENT_URI('ApiErrorBody') } } },
        },
      },
      securitySchemes: {
        session: {
          type: 'http', scheme: 'bearer', bearerFormat: 'session token',
          description: '`Authorization: Bearer <token>` with the token of `POST /api/auth/login`.',
        },
        adminToken: {
          type: 'http', scheme: 'bearer', bearerFormat: 'ADMIN_TOKEN',
          description: '`Authorization: Bearer <ADMIN_TOKEN>` (the server\'s ADMIN_TOKEN setting).',
        },
      },
    },
  };
}
