import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { requestShipmentRefresh } from '../../../app/request-shipment-refresh.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { Clock } from '../../../core/ports/clock.port.js';
import type { UnitOfWork } from '../../../core/ports/storage.port.js';
import { storeIdOf } from '../../plugins/api-auth.js';
import { ErrorSchema } from '../../schemas/order.schema.js';

export function registerShipmentRoutes(app: FastifyInstance, deps: { uow: UnitOfWork; clock: Clock }): void {
  // A separate, tighter budget than the API's: each refresh may cost a carrier call. (The plugin runs
  // only one `rateLimit` hook per request, so this one is checked by hand.)
  const refreshLimit = app.createRateLimit({
    max: 30,
    timeWindow: '1 minute',
    keyGenerator: (request) =>
      `refresh:${typeof request.headers.authorization === 'string' ? request.headers.authorization.slice(0, 200) : request.ip}`,
  });

  app.withTypeProvider<ZodTypeProvider>().post(
    '/shipments/:id/refresh',
    {
      onRequest: async (request, reply) => {
        const limit = await refreshLimit(request);
        if (!limit.isAllowed && limit.isExceeded) {
          void reply.header('retry-after', String(limit.ttlInSeconds));
          throw new DomainError(
            ErrorCode.RateLimited,
            `at most ${limit.max} refreshes a minute; retry in ${limit.ttlInSeconds} s`,
          );
        }
      },
      schema: {
        summary: 'Track this shipment again now (also re-tracks an expired one)',
        tags: ['shipments'],
        params: z.object({ id: z.uuid() }),
        response: {
          202: z.object({ id: z.string(), nextCheckAt: z.string() }),
          400: ErrorSchema,
          401: ErrorSchema,
          404: ErrorSchema,
          429: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const { nextCheckAt } = await requestShipmentRefresh(deps, storeIdOf(request), request.params.id);
      return reply.status(202).send({ id: request.params.id, nextCheckAt });
    },
  );
}
