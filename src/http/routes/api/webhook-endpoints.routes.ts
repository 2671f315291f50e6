import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import {
  registerWebhookEndpoint,
  type EndpointPolicy,
  type EndpointStore,
} from '../../../app/manage-webhook-endpoints.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { Clock } from '../../../core/ports/clock.port.js';
import { storeIdOf } from '../../plugins/api-auth.js';
import { ErrorSchema } from '../../schemas/order.schema.js';

const EndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string(),
});
const eventType = z.string().regex(/^(order|shipment)\.[a-z_]+$/, 'like shipment.delivered');

export function registerWebhookEndpointRoutes(
  app: FastifyInstance,
  deps: { clock: Clock; endpoints: EndpointStore; policy: EndpointPolicy },
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/webhook-endpoints',
    {
      schema: {
        summary: 'Register an endpoint for signed (Standard Webhooks) milestone events; the secret is shown once',
        tags: ['webhooks'],
        body: z.object({ url: z.string().max(2048), eventTypes: z.array(eventType).max(50).default([]) }).strict(),
        response: {
          201: EndpointSchema.omit({ enabled: true }).extend({ secret: z.string() }),
          400: ErrorSchema,
          401: ErrorSchema,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await registerWebhookEndpoint(deps, storeIdOf(request), request.body)),
  );

  routes.get(
    '/webhook-endpoints',
    {
      schema: {
        summary: "The store's webhook endpoints",
        tags: ['webhooks'],
        response: { 200: z.object({ data: z.array(EndpointSchema) }), 401: ErrorSchema },
      },
    },
    async (request) => ({
      data: (await deps.endpoints.listEndpoints(storeIdOf(request))).map((e) => ({
        id: e.id,
        url: e.url,
        eventTypes: e.eventTypes,
        enabled: e.isEnabled,
        createdAt: e.createdAt,
      })),
    }),
  );

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    routes.post(
      `/webhook-endpoints/:id/${action}`,
      {
        schema: {
          summary: `${action} an endpoint`,
          tags: ['webhooks'],
          params: z.object({ id: z.uuid() }),
          response: {
            200: z.object({ id: z.string(), enabled: z.boolean() }),
            400: ErrorSchema,
            401: ErrorSchema,
            404: ErrorSchema,
          },
        },
      },
      async (request) => {
        const changed = await deps.endpoints.setEndpointEnabled(
          storeIdOf(request),
          request.params.id,
          enabled,
          deps.clock.now(),
        );
        if (!changed) throw new DomainError(ErrorCode.NotFound, 'endpoint not found');
        return { id: request.params.id, enabled };
      },
    );
  }
}
