// The README's webhook verification example, run as written: it accepts what the server signs and refuses a
// wrong secret, a changed body and a stale timestamp.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signatureHeader, verifySignature } from '../../server/webhooks/webhook-signature';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

type Verify = (header: string, rawBody: string, secret: string, toleranceS?: number) => boolean;

function readmeExample(): { code: string; verify: Verify } {
  const block = /<!-- webhook-verify[^>]*-->\n```js\n([\s\S]*?)```/.exec(README)?.[1];
  if (!block) throw new Error('README has no webhook-verify block');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point is to run the documented code
  const verify = new Function('require', `${block}\nreturn verifyWxlive;`)(require) as Verify;
  return { code: block, verify };
}

const SECRET = 'the-webhook-secret-of-the-server';
const body = JSON.stringify({ id: 'evt_1', type: 'room.live', at: new Date().toISOString(), data: { room: { id: 'r1' } } });
const now = () => Math.floor(Date.now() / 1000);

test('the example is about ten lines of code', () => {
  expect(readmeExample().code.trim().split('\n').length).toBeLessThanOrEqual(10);
});

test('the example accepts the server\'s signature, and a wrong secret fails verification', () => {
  const { verify } = readmeExample();
  const header = signatureHeader(SECRET, now(), body);
  expect(verify(header, body, SECRET)).toBe(true);
  expect(verify(header, body, 'another-secret-entirely')).toBe(false);
  expect(verifySignature(header, body, 'another-secret-entirely', now())).toBe(false);
});

test('the example refuses a changed body, a stale timestamp and a malformed header', () => {
  const { verify } = readmeExample();
  expect(verify(signatureHeader(SECRET, now(), body), body.replace('r1', 'r2'), SECRET)).toBe(false);
  expect(verify(signatureHeader(SECRET, now() - 3600, body), body, SECRET)).toBe(false);
  expect(verify('garbage', body, SECRET)).toBe(false);
  expect(verify(`t=${now()},v1=abc`, body, SECRET)).toBe(false);
});
