import type { Order } from '../order/order.js';
import type { Shipment } from '../shipment/shipment.js';
import type { Store } from '../store/store.js';

/**
 * The outside world of notifications. Adapters live in
 * `adapters/notify/<channel>/`; the delivery worker calls them for rows it
 * claimed from the outbox.
 *
 * Failure classes, thrown as DomainError:
 * - transient (retry with backoff): `upstream_unavailable` (SMTP 4xx, 5xx from
 *   an HTTP provider, timeouts, connection refused), `upstream_rate_limited`
 *   (`details.retryAfterMs` when known);
 * - permanent (recorded as failed with the reason, never retried):
 *   `invalid_input` (bad address or number, recipient rejected, endpoint gone),
 *   `upstream_auth_failed` (credentials refused: retried only after an operator fixes them).
 */

export type OutgoingEmail = {
  to: string;
  /** `"Store name" <orders@example.com>`; the store's display name over WAYMARK_EMAIL_FROM's address. */
  from: string;
  replyTo: string | null;
  subject: string;
  html: string;
  text: string;
  /** One-click unsubscribe URL (RFC 8058); also sent as `List-Unsubscribe-Post`. */
  unsubscribeUrl: string;
  /** The outbox row's idempotency key, sent as `X-Waymark-Notification-Key`. */
  idempotencyKey: string;
  /** Sent as `X-Waymark-Milestone`. */
  milestone: string;
};

export interface EmailSender {
  send(message: OutgoingEmail): Promise<{ providerMessageId: string }>;
}

/**
 * A message to a person who works for the store (an invitation to the
 * dashboard), not to a customer: no unsubscribe link, no milestone. Sent while
 * the owner waits, not through the outbox; failures are thrown in the classes
 * above, and the owner is shown the reason.
 */
export type StaffEmail = {
  to: string;
  /** WAYMARK_EMAIL_FROM. */
  from: string;
  subject: string;
  html: string;
  text: string;
  /** Stable for the message (an invitation's id): its Message-ID is derived from it. */
  idempotencyKey: string;
};

export interface StaffEmailSender {
  sendToStaff(message: StaffEmail): Promise<{ providerMessageId: string }>;
}

export type OutgoingSms = {
  /** E.164, already validated. */
  to: string;
  body: string;
  idempotencyKey: string;
};

export interface SmsSender {
  send(message: OutgoingSms): Promise<{ providerMessageId: string }>;
}

export type OutgoingWebhook = {
  url: string;
  /** Standard Webhooks secret (`whsec_…`). */
  secret: string;
  /** `webhook-id`: the same for every retry of one message, so receivers can deduplicate. */
  messageId: string;
  /** Event type, e.g. `shipment.delivered`. */
  type: string;
  /** ISO time the event happened; the signature timestamp is the sending time. */
  occurredAt: string;
  data: Record<string, unknown>;
};

export interface WebhookSender {
  send(message: OutgoingWebhook): Promise<{ status: number }>;
}

/** Everything a message template may show. */
export type MessageContext = {
  milestone: string;
  /** The customer's language, else the store's. */
  locale: string;
  store: Store;
  order: Order;
  shipment: Shipment | null;
  trackingUrl: string;
  unsubscribeUrl: string;
  attemptNumber: number;
  /** The exception's substatus, for exception messages. */
  exceptionKind: string | null;
};

/** Templates, implemented in `web/notifications/`. */
export interface MessageRenderer {
  renderEmail(context: MessageContext): { subject: string; html: string; text: string };
  renderSms(context: MessageContext): { body: string };
}

/** Signed customer links (tracking page, one-click unsubscribe). */
export interface LinkBuilder {
  trackingUrl(storeId: string, orderId: string): string;
  unsubscribeUrl(storeId: string, channel: string, recipient: string): string;
}
