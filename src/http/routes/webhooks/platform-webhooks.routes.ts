import type { FastifyInstance } from 'fastify';

import { acceptPlatformWebhook } from '../../../app/platform-webhooks.js';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type { Clock } from '../../../core/ports/clock.port.js';
import type { PlatformRegistry } from '../../../core/ports/platform.port.js';
import type { WebhookIntake } from '../../../app/webhook-intake.js';

/**
 * `POST /webhooks/{platform}/{storeId}`. Registered in the same scope as the
 * carrier webhooks, whose parsers keep bodies as raw bytes.
 */
export function registerPlatformWebhookRoutes(
  app: FastifyInstance,
  deps: { intake: WebhookIntake; clock: Clock; platforms: PlatformRegistry },
): void {
  app.post<{ Params: { platform: string; storeId: string } }>(
    '/webhooks/:platform/:storeId',
    // Machines post webhooks: browser security headers would only cost time.
    { schema: { hide: true }, helmet: false },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0)
        throw new DomainError(ErrorCode.MalformedJson, 'webhook body is empty');
      const receipt = await acceptPlatformWebhook(deps, {
        platform: request.params.platform,
        storeId: request.params.storeId,
        rawBody: request.body,
        headers: request.headers,
      });
      if (receipt.kind === 'ping') {
        request.log.info(
          { platform: request.params.platform, storeId: request.params.storeId },
          'webhook setup ping answered',
        );
        return reply.status(200).send({ received: true, ping: true });
      }
      request.log.info(
        {
          platform: request.params.platform,
          storeId: request.params.storeId,
          inboxId: receipt.id,
          duplicate: receipt.duplicate,
        },
        'platform webhook accepted',
      );
      return reply.status(200).send({ received: true, duplicate: receipt.duplicate });
    },
  );
}
