// The deliveries view's response schema and its typings/api.ts type say the same thing (checked by tsc), and the
// route's answer is built from a stored row as documented.
import type { z } from 'zod';
import type * as Api from '../../typings/api';
import type * as S from '../../server/api/response-schemas';
import { toDelivery } from '../../server/api/routes/admin-webhooks';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
export type DeliveriesSchemaMatchesTypings = [
  Equal<z.output<typeof S.webhookDelivery>, Api.WebhookDelivery>,
  Equal<z.output<typeof S.webhookDeliveriesResponse>, Api.WebhookDeliveriesResponse>,
] extends [true, true] ? true : never;
const checked: DeliveriesSchemaMatchesTypings = true;

test('a pending row shows its next attempt; a finished one none', () => {
  expect(checked).toBe(true);
  const row = {
    id: 'evt_1.0', eventId: 'evt_1', type: 'room.live', url: 'http://x/h', body: '{}', createdAt: 0, state: 'pending' as const,
    attempts: 2, nextAt: 20_000, leaseOwner: null, leaseUntil: null, lastStatus: 500, lastError: 'HTTP 500',
  };
  expect(toDelivery(row)).toEqual({
    eventId: 'evt_1', type: 'room.live', url: 'http://x/h', state: 'pending', attempts: 2, createdAt: '1970-01-01T00:00:00.000Z',
    nextAttemptAt: '1970-01-01T00:00:20.000Z', lastStatus: 500, lastError: 'HTTP 500',
  });
  expect(toDelivery({ ...row, state: 'delivered' }).nextAttemptAt).toBeNull();
});
