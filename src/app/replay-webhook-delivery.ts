import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { WebhookSender } from '../core/ports/notifier.port.js';
import type { WebhookDelivery } from '../core/ports/webhook-delivery.port.js';
import type { WebhookEndpointSource } from './deliver-notification.js';
import { requireStoreEndpoint, type DeliveryLogDeps } from './list-webhook-deliveries.js';
import { sendLoggedWebhook } from './send-logged-webhook.js';

export type ReplayDeps = DeliveryLogDeps & {
  clock: Clock;
  sender: WebhookSender;
  /** The enabled endpoints with their signing secrets. */
  secrets: WebhookEndpointSource;
};

/**
 * Sends a logged delivery again, now, as a new attempt: the same body and
 * the same `webhook-id`, signed afresh (new `webhook-timestamp`, the
 * endpoint's current URL and secret). Standard Webhooks tells receivers to
 * deduplicate on `webhook-id`, so a receiver that already processed the
 * message will recognise the replay and not apply it twice; one that failed
 * gets it again. The endpoint's answer is the result (the new delivery,
 * delivered or failed), not an error. A disabled endpoint is a `conflict`:
 * enable it first.
 */
export async function replayWebhookDelivery(
  deps: ReplayDeps,
  storeId: string,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const endpoint = await requireStoreEndpoint(deps, storeId, endpointId);
  const original = await deps.deliveries.findDelivery(storeId, endpointId, deliveryId);
  if (!original) throw new DomainError(ErrorCode.NotFound, 'delivery not found');
  const enabled = (await deps.secrets.listEnabledEndpoints(storeId)).find((e) => e.id === endpoint.id);
  if (!enabled) throw new DomainError(ErrorCode.Conflict, 'the endpoint is disabled; enable it before replaying');
  const attempt = await sendLoggedWebhook(
    { clock: deps.clock, sender: deps.sender, log: deps.deliveries },
    {
      storeId,
      endpoint: enabled,
      notificationId: original.notificationId,
      messageId: original.messageId,
      payload: original.payload,
      replayOf: original.id,
    },
  );
  if (!attempt.delivery) throw new Error('replay attempt was not logged');
  return attempt.delivery;
}
