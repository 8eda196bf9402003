// Checks an HTTP answer against the OpenAPI document (ajv, JSON Schema 2020-12): the schema documented for its
// path, method and status, or ApiErrorBody for an undocumented error status. Used by call() in http.ts.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument } from '../../server/api/openapi/document';

type Json = Record<string, any>;
const DOC_ID = 'wxlive-openapi';

let state: { doc: Json; ajv: Ajv2020; routes: { method: string; template: string; re: RegExp; params: number }[] } | null = null;
const compiled = new Map<string, ValidateFunction>();

function load() {
  if (state) return state;
  const doc = buildOpenApiDocument();
  // strict off: the document's own keywords (openapi, paths, …) are not JSON Schema; the schemas in it are checked in full
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, DOC_ID);
  const routes = Object.entries(doc.paths as Json).flatMap(([template, ops]) => Object.keys(ops).map((method) => ({
    method,
    template,
    re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}$`),
    params: (template.match(/\{/g) ?? []).length,
  })));
  routes.sort((a, b) => a.params - b.params); // a literal path wins over a template (/api/docs before /api/docs/{file})
  state = { doc, ajv, routes };
  return state;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function validator(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) {
    v = load().ajv.compile({ $ref: ref });
    compiled.set(ref, v);
  }
  return v;
}

const ERROR_REF = `${DOC_ID}#/components/schemas/ApiErrorBody`;

/**
 * Problems of one answer with the document, or [] when it matches. `json` says whether the answer was JSON
 * (its Content-Type); a documented JSON answer must be JSON, and any JSON answer must match its schema.
 */
export function openApiProblems(method: string, url: string, status: number, json: boolean, body: unknown): string[] {
  const m = method.toLowerCase();
  if (m === 'head' || m === 'options') return [];
  const { doc, routes } = load();
  const path = new URL(url, 'http://x').pathname;
  const route = routes.find((r) => r.method === m && r.re.test(path));
  const where = `${method.toUpperCase()} ${path} → ${status}`;
  let ref: string | null = null;
  if (!route) {
    // not a documented route: the server's JSON 404/405, or nothing to check
    if (json) ref = ERROR_REF;
  } else {
    const responses = doc.paths[route.template][m].responses as Json;
    const spec = responses[String(status)] as Json | undefined;
    if (!spec && status < 400) return [`${where}: status ${status} is not documented for ${m.toUpperCase()} ${route.template}`];
    const jsonContent = spec ? spec.content?.['application/json'] : { schema: { $ref: '#/components/schemas/ApiErrorBody' } };
    if (jsonContent?.schema) {
      if (!json) return [`${where}: documented as JSON, answered with another Content-Type`];
      ref = spec
        ? `${DOC_ID}#${pointer('', 'paths', route.template, m, 'responses', String(status), 'content', 'application/json', 'schema')}`
        : ERROR_REF;
    }
  }
  if (!ref) return [];
  const validate = validator(ref);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}
