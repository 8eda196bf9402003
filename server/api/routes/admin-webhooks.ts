// GET /api/admin/webhooks/deliveries (Bearer ADMIN_TOKEN): the outbox's recent rows, newest first, paged like the rooms list.
import Router from '@koa/router';
import { z } from 'zod';
import type { WebhookDeliveriesResponse, WebhookDelivery } from '../../../typings/api';
import { decodeCursor, encodeCursor } from '../../rooms/cursor';
import type { DeliveryRecord, WebhookStore } from '../../store/webhook-store';
import type { AppState } from '../deps';
import { requireAdmin } from '../middleware/auth';
import { listQuery } from '../schemas';
import { parse } from '../validate';

export const deliveriesQuery = listQuery.pick({ limit: true, cursor: true });

const iso = (ms: number) => new Date(ms).toISOString();

export function toDelivery(r: DeliveryRecord): WebhookDelivery {
  return {
    eventId: r.eventId, type: r.type, url: r.url, state: r.state, attempts: r.attempts, createdAt: iso(r.createdAt),
    nextAttemptAt: r.state === 'pending' ? iso(r.nextAt) : null, lastStatus: r.lastStatus, lastError: r.lastError,
  };
}

export function adminWebhooksRouter(store: WebhookStore, adminToken: string): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/admin/webhooks' });
  router.use(requireAdmin(adminToken));

  router.get('/deliveries', async (ctx) => {
    const q: z.output<typeof deliveriesQuery> = parse(deliveriesQuery, ctx.query, 'query');
    // one extra row tells whether another page exists
    const rows = await store.list({ limit: q.limit + 1, after: q.cursor ? decodeCursor(q.cursor) : undefined });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    ctx.body = {
      deliveries: page.map(toDelivery),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
    } satisfies WebhookDeliveriesResponse;
  });

  return router;
}
