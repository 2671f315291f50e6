import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { UnitOfWork } from '../../../core/ports/storage.port.js';
import { storeIdOf } from '../../plugins/api-auth.js';
import { ErrorSchema } from '../../schemas/order.schema.js';

const NotificationSchema = z.object({
  id: z.string(),
  orderId: z.string().nullable(),
  shipmentId: z.string().nullable(),
  milestone: z.string(),
  channel: z.string(),
  recipient: z.string().nullable(),
  state: z.string().describe('planned (in the outbox), held, sending, sent, failed, suppressed, dead'),
  reason: z.string().nullable().describe('why it was suppressed, or the last error'),
  attempts: z.number().int(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export function registerNotificationRoutes(app: FastifyInstance, deps: { uow: UnitOfWork }): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/notifications',
    {
      schema: {
        summary: "An order's messages: what was planned, sent, held or suppressed, and why",
        tags: ['notifications'],
        querystring: z.object({ orderId: z.uuid() }).strict(),
        response: {
          200: z.object({ data: z.array(NotificationSchema) }),
          400: ErrorSchema,
          401: ErrorSchema,
          404: ErrorSchema,
        },
      },
    },
    async (request) => {
      const storeId = storeIdOf(request);
      const order = await deps.uow.repositories.orders.findOrderById(storeId, request.query.orderId);
      if (!order) throw new DomainError(ErrorCode.NotFound, 'order not found');
      const rows = await deps.uow.repositories.notifications.listNotificationsForOrder(storeId, order.id);
      return {
        data: rows.map((n) => ({
          id: n.id,
          orderId: n.orderId,
          shipmentId: n.shipmentId,
          milestone: n.milestone,
          channel: n.channel,
          recipient: n.recipient,
          state: n.state,
          reason: n.reason,
          attempts: n.attempts,
          createdAt: n.createdAt,
          sentAt: n.sentAt,
        })),
      };
    },
  );
}
