// README "Integrating → Admin calls" has a curl line for every admin-only operation the OpenAPI document lists
// (issue 16: "a curl example for each admin call"), so a new admin route without one fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS } from '../../server/api/openapi/operations';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const block = /### Admin calls\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

const curlOf = (method: string, path: string) => {
  const pattern = path.replace(/:[a-zA-Z]+/g, '<[a-zA-Z]+>').replace(/\//g, '\\/');
  const verb = method === 'get' ? '(?!-X)' : `-X ${method.toUpperCase()} `;
  return new RegExp(`curl -s -H "Authorization: Bearer \\$T" ${verb}"\\$A${pattern}(\\?[^"]*)?"`);
};

test('the README has the Admin calls block', () => {
  expect(block.split('\n').filter((l) => l.startsWith('curl')).length).toBeGreaterThan(5);
});

test.each(OPERATIONS.filter((o) => o.access === 'admin').map((o) => [o.method, o.path]))('%s %s has a curl line', (method, path) => {
  expect(block).toMatch(curlOf(method, path));
});
