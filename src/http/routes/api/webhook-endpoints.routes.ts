import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import {
  registerWebhookEndpoint,
  type EndpointPolicy,
  type EndpointStore,
} from '../../../app/manage-webhook-endpoints.js';
import type { WebhookEndpointSource } from '../../../app/deliver-notification.js';
import { listWebhookDeliveries } from '../../../app/list-webhook-deliveries.js';
import { replayWebhookDelivery } from '../../../app/replay-webhook-delivery.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { WebhookSender } from '../../../core/ports/notifier.port.js';
import type { WebhookDelivery, WebhookDeliveryLog } from '../../../core/ports/webhook-delivery.port.js';
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

const DeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  notificationId: z.string().nullable(),
  webhookId: z.string().describe('the webhook-id header: the same on every attempt and replay of one message'),
  eventType: z.string(),
  payload: z.object({ type: z.string(), timestamp: z.string(), data: z.record(z.string(), z.unknown()) }),
  attempt: z
    .number()
    .int()
    .describe('1 for the first attempt of this message to this endpoint; retries and replays count'),
  replayOf: z.string().nullable(),
  outcome: z
    .enum(['pending', 'delivered', 'failed'])
    .describe('pending: no answer recorded (under way, or the worker stopped)'),
  statusCode: z.number().int().nullable(),
  responseMs: z.number().int().nullable(),
  error: z.string().nullable(),
  attemptedAt: z.string(),
  completedAt: z.string().nullable(),
});

function deliveryView(delivery: WebhookDelivery): z.infer<typeof DeliverySchema> {
  const { storeId: _storeId, messageId, ...rest } = delivery;
  return { ...rest, webhookId: messageId };
}

/** The delivery log of each endpoint, and replays from it. */
export function registerWebhookDeliveryRoutes(
  app: FastifyInstance,
  deps: {
    clock: Clock;
    endpoints: EndpointStore;
    deliveries: WebhookDeliveryLog;
    sender: WebhookSender;
    secrets: WebhookEndpointSource;
  },
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/webhook-endpoints/:id/deliveries',
    {
      schema: {
        summary: 'Every attempt to deliver to this endpoint, newest first',
        tags: ['webhooks'],
        params: z.object({ id: z.uuid() }),
        querystring: z
          .object({
            cursor: z.uuid().optional().describe("the previous page's nextCursor"),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          })
          .strict(),
        response: {
          200: z.object({ data: z.array(DeliverySchema), nextCursor: z.string().nullable() }),
          400: ErrorSchema,
          401: ErrorSchema,
          404: ErrorSchema,
        },
      },
    },
    async (request) => {
      const page = await listWebhookDeliveries(deps, storeIdOf(request), request.params.id, {
        limit: request.query.limit,
        cursor: request.query.cursor ?? null,
      });
      return { data: page.deliveries.map(deliveryView), nextCursor: page.nextCursor };
    },
  );

  routes.post(
    '/webhook-endpoints/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        summary: 'Send a logged delivery again, as a new attempt with the same body and webhook-id',
        description:
          'The body and the webhook-id header are those of the original message; the signature and ' +
          'webhook-timestamp are new. Standard Webhooks receivers deduplicate on webhook-id, so a receiver that ' +
          'already processed the message recognises the replay. The answer is the new attempt, delivered or failed; ' +
          'a disabled endpoint answers 409.',
        tags: ['webhooks'],
        params: z.object({ id: z.uuid(), deliveryId: z.uuid() }),
        response: { 201: DeliverySchema, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const delivery = await replayWebhookDelivery(
        deps,
        storeIdOf(request),
        request.params.id,
        request.params.deliveryId,
      );
      return reply.status(201).send(deliveryView(delivery));
    },
  );
}
