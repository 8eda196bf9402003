// GET /api/openapi.json: an OpenAPI 3.1 document whose schemas compile under ajv's strict mode, with the error body,
// both bearer schemes, and a response checker (test/helpers/openapi-check.ts, used by every call()) that catches drift.
import { createServer, type Server } from 'node:http';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { call, createRoom } from '../helpers/http';
import { openApiProblems } from '../helpers/openapi-check';
import { startTestServer, type TestServer } from '../helpers/test-server';

let s: TestServer;
beforeAll(async () => { s = await startTestServer(); });
afterAll(async () => { await s.stop(true); });

test('the document is served as OpenAPI 3.1 with the error body and both security schemes', async () => {
  const r = await call(s.url, 'GET', '/api/openapi.json');
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  const doc = r.body;
  expect(doc.openapi).toMatch(/^3\.1\./);
  expect(doc.components.securitySchemes).toEqual({
    session: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    adminToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
  });
  expect(doc.components.schemas.ApiErrorBody.required).toEqual(['error']);
  expect(doc.components.schemas.ApiErrorBody.properties.error.required).toEqual(['code', 'message']);
  const create = doc.paths['/api/rooms'].post;
  expect(create.security).toEqual([{ session: [] }]);
  // the request body is the zod schema POST /api/rooms parses with
  expect(create.requestBody.content['application/json'].schema).toMatchObject({
    type: 'object', required: ['title'], additionalProperties: false, properties: { title: { minLength: 1, maxLength: 64 } },
  });
  expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateRoomResponse' });
  expect(create.responses.default).toEqual({ $ref: '#/components/responses/Error' });
  expect(doc.paths['/api/rooms/{id}/end'].post.security).toEqual([{ session: [] }, { adminToken: [] }]);
  expect(doc.paths['/api/admin/stats'].get.security).toEqual([{ adminToken: [] }]);
  expect(doc.paths['/api/rooms'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['status', 'limit', 'cursor']);
  expect(doc.paths['/api/rooms/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true, schema: { pattern: expect.any(String) } });
});

test('every component schema compiles under ajv strict mode (no keyword ajv would silently ignore)', async () => {
  const doc = (await call(s.url, 'GET', '/api/openapi.json')).body;
  const ajv = new Ajv2020({ strict: true });
  addFormats(ajv);
  // strict mode rejects OpenAPI-only keywords: hand it the schemas alone, with refs rewritten to $defs
  const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'));
  for (const name of Object.keys(defs)) expect(() => ajv.compile({ $defs: defs, $ref: `#/$defs/${name}` })).not.toThrow();
});

describe('the response check', () => {
  const room = {
    id: 'AbCdEfGhIjKl', title: 't', hostId: 'u1', status: 'idle', createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null, endedAt: null, viewers: 0,
  };

  test('passes a good answer and catches a missing field, an extra field, a wrong type and an undocumented status', () => {
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 200, true, { room })).toEqual([]);
    const { hostId: _, ...noHost } = room;
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 200, true, { room: noHost }).join()).toMatch(/hostId/);
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 200, true, { room: { ...room, secret: 1 } }).join()).toMatch(/additional/);
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 200, true, { room: { ...room, viewers: '3' } }).join()).toMatch(/viewers/);
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 200, true, { room: { ...room, createdAt: 'yesterday' } }).join()).toMatch(/createdAt/);
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 202, true, { room }).join()).toMatch(/not documented/);
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 200, false, 'text').join()).toMatch(/Content-Type/);
  });

  test('any error status, documented or not, must be the error body; undocumented paths too', () => {
    const err = { error: { code: 'room_not_found', message: 'No such room.' } };
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 404, true, err)).toEqual([]);
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 503, true, err)).toEqual([]);
    expect(openApiProblems('GET', '/api/rooms/AbCdEfGhIjKl', 503, true, { message: 'x' }).join()).toMatch(/error/);
    expect(openApiProblems('GET', '/nope', 404, true, { error: { code: 'not_found' } }).join()).toMatch(/message/);
    expect(openApiProblems('GET', '/admin', 200, false, '<!doctype html>')).toEqual([]);
  });

  test('call() refuses an answer the document does not describe', async () => {
    const fake: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ room: { ...room, status: 'paused' } }));
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;
    try {
      await expect(call(base, 'GET', '/api/rooms/AbCdEfGhIjKl')).rejects.toThrow(/status must be equal to one of the allowed values/);
      await expect(call(base, 'GET', '/api/rooms/AbCdEfGhIjKl', { checkDocument: false })).resolves.toMatchObject({ status: 200 });
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  test('real answers of the server pass (a room created, read, listed and ended)', async () => {
    const { token, room: made } = await createRoom(s.url, 'Checked');
    expect((await call(s.url, 'GET', `/api/rooms/${made.id}`)).status).toBe(200);
    expect((await call(s.url, 'GET', '/api/rooms?limit=5')).status).toBe(200);
    expect((await call(s.url, 'GET', `/api/rooms/${made.id}/play`)).status).toBe(200);
    expect((await call(s.url, 'POST', `/api/rooms/${made.id}/end`, { token })).status).toBe(200);
    expect((await call(s.url, 'GET', `/api/rooms/${made.id}/messages`)).status).toBe(200);
    expect((await call(s.url, 'GET', '/api/admin/stats/history', { token: s.config.secrets.adminToken })).status).toBe(200);
  });
});
