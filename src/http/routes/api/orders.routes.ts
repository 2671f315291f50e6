import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { getOrder, listOrders } from '../../../app/get-order.js';
import { upsertApiOrder } from '../../../app/upsert-api-order.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { Clock } from '../../../core/ports/clock.port.js';
import type { UnitOfWork } from '../../../core/ports/storage.port.js';
import { storeIdOf } from '../../plugins/api-auth.js';
import {
  ApiOrderInputSchema,
  ErrorSchema,
  ListOrdersQuerySchema,
  OrderIdParamsSchema,
  OrderSchema,
  orderToJson,
} from '../../schemas/order.schema.js';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema };

export function registerOrderRoutes(app: FastifyInstance, deps: { uow: UnitOfWork; clock: Clock }): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/orders',
    {
      schema: {
        summary: 'List orders, newest first',
        tags: ['orders'],
        querystring: ListOrdersQuerySchema,
        response: {
          200: z.object({ data: z.array(OrderSchema), nextCursor: z.string().nullable(), total: z.number().int() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      try {
        const page = await listOrders(deps.uow.repositories, storeIdOf(request), {
          ...filter,
          ...(cursor ? { cursor } : {}),
        });
        return { data: page.orders.map(orderToJson), nextCursor: page.nextCursor, total: page.total };
      } catch (error) {
        if (error instanceof Error && error.name === 'InvalidCursorError')
          throw new DomainError(ErrorCode.InvalidInput, `cursor: ${error.message}`);
        throw error;
      }
    },
  );

  routes.get(
    '/orders/:id',
    {
      schema: {
        summary: 'One order with its shipments and their events',
        tags: ['orders'],
        params: OrderIdParamsSchema,
        response: { 200: OrderSchema, ...errors },
      },
    },
    async (request) => {
      const order = await getOrder(deps.uow.repositories, storeIdOf(request), request.params.id);
      if (!order) throw new DomainError(ErrorCode.NotFound, 'order not found');
      return orderToJson(order);
    },
  );

  routes.post(
    '/orders',
    {
      schema: {
        summary: 'Create or update an order by externalId (stores of platform "api")',
        tags: ['orders'],
        body: ApiOrderInputSchema,
        response: {
          200: OrderSchema,
          201: OrderSchema,
          ...errors,
          403: ErrorSchema,
          413: ErrorSchema,
          415: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const outcome = await upsertApiOrder(deps, storeIdOf(request), request.body);
      if (outcome.stale) void reply.header('x-waymark-stale-update', 'ignored: a newer update is stored');
      return reply.status(outcome.created ? 201 : 200).send(orderToJson(outcome.order));
    },
  );
}
