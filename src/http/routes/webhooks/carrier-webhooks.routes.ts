import type { FastifyInstance } from 'fastify';

import { acceptCarrierWebhook, type CarrierWebhookRegistry } from '../../../app/ingest-carrier-webhook.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { Clock } from '../../../core/ports/clock.port.js';
import type { WebhookIntake } from '../../../app/webhook-intake.js';

/** Waymark's header for a shared webhook token, for senders that sign nothing (Shippo). */
const WEBHOOK_TOKEN_HEADER = 'x-waymark-webhook-token';

/**
 * `POST /webhooks/carriers/{source}`: bodies are kept as raw bytes, because
 * signatures are computed over exactly what was sent.
 */
export function registerCarrierWebhookRoutes(
  app: FastifyInstance,
  deps: { intake: WebhookIntake; clock: Clock; sources: CarrierWebhookRegistry },
): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  // WooCommerce sends its setup ping form-encoded; the handler recognises it, everything else must be JSON.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) =>
    done(new DomainError(ErrorCode.UnsupportedMediaType, 'webhooks must be sent as application/json'), undefined),
  );

  app.post<{ Params: { source: string }; Querystring: Record<string, unknown> }>(
    '/webhooks/carriers/:source',
    // Machines post webhooks: browser security headers would only cost time.
    { schema: { hide: true }, helmet: false },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0)
        throw new DomainError(ErrorCode.MalformedJson, 'webhook body is empty');
      // The URL registered with such a sender carries the token (`?token=`); a header set by a proxy also works.
      const token = request.query.token;
      const accepted = await acceptCarrierWebhook(deps, {
        source: request.params.source,
        rawBody: request.body,
        headers:
          typeof token === 'string' && request.headers[WEBHOOK_TOKEN_HEADER] === undefined
            ? { ...request.headers, [WEBHOOK_TOKEN_HEADER]: token }
            : request.headers,
      });
      request.log.info(
        { source: request.params.source, inboxId: accepted.id, duplicate: accepted.duplicate },
        'carrier webhook accepted',
      );
      return reply.status(200).send({ received: true, duplicate: accepted.duplicate });
    },
  );
}
