import { isDomainError } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { WebhookSender } from '../core/ports/notifier.port.js';
import type { WebhookDelivery, WebhookDeliveryLog, WebhookPayload } from '../core/ports/webhook-delivery.port.js';

export type LoggedWebhookDeps = { clock: Clock; sender: WebhookSender; log: WebhookDeliveryLog | null };

export type WebhookTarget = {
  storeId: string;
  endpoint: { id: string; url: string; secret: string };
  notificationId: string | null;
  /** `webhook-id`: fixed per message, so a retry or a replay is recognised by the receiver. */
  messageId: string;
  payload: WebhookPayload;
  replayOf: string | null;
};

export type LoggedAttempt = {
  /** The log row, finished; null when no log is wired. */
  delivery: WebhookDelivery | null;
  /** What the sender threw (a classified DomainError for endpoint failures); null when delivered. */
  error: unknown;
};

/**
 * One attempt to deliver a message to one endpoint, written to the delivery
 * log before the call (so an attempt cut short by a crash still shows, as
 * pending) and finished with the endpoint's answer: status code, response
 * time, error. Never throws for the endpoint's failure: the caller decides
 * whether it is retried.
 */
export async function sendLoggedWebhook(deps: LoggedWebhookDeps, target: WebhookTarget): Promise<LoggedAttempt> {
  const started = deps.log
    ? await deps.log.startDelivery(
        {
          storeId: target.storeId,
          endpointId: target.endpoint.id,
          notificationId: target.notificationId,
          messageId: target.messageId,
          payload: target.payload,
          replayOf: target.replayOf,
        },
        deps.clock.now(),
      )
    : null;
  const startedAt = performance.now();
  let statusCode: number | null;
  let error: unknown = null;
  try {
    statusCode = (
      await deps.sender.send({
        url: target.endpoint.url,
        secret: target.endpoint.secret,
        messageId: target.messageId,
        type: target.payload.type,
        occurredAt: target.payload.timestamp,
        data: target.payload.data,
      })
    ).status;
  } catch (thrown) {
    error = thrown;
    const status = isDomainError(thrown) ? thrown.details?.status : undefined;
    statusCode = typeof status === 'number' ? status : null;
  }
  const responseMs = performance.now() - startedAt;
  if (!started || !deps.log) return { delivery: null, error };
  const result = {
    outcome: error === null ? ('delivered' as const) : ('failed' as const),
    statusCode,
    responseMs,
    error: error === null ? null : error instanceof Error ? error.message : 'the sender failed without an error',
  };
  const completedAt = deps.clock.now();
  await deps.log.finishDelivery(started.id, result, completedAt);
  return { delivery: { ...started, ...result, responseMs: Math.round(responseMs), completedAt }, error };
}
