// The deliveries view's answer is built from a stored row as documented (its schema is checked against typings/api.ts
// with every other response component, in test/api/openapi-types.test.ts).
import { toDelivery } from '../../server/api/routes/admin-webhooks';

test('a pending row shows its next attempt; a finished one none', () => {
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
