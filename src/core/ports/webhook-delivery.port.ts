/**
 * The outbound webhook delivery log: one row per attempt to deliver one
 * message to one merchant endpoint, including replays. The outbox row
 * (`notification`) says whether the message as a whole went out; this says
 * what each endpoint was sent and how it answered.
 */

export const WebhookDeliveryOutcome = {
  /** Started and not finished: the worker stopped during the call, or the call is under way. */
  Pending: 'pending',
  /** The endpoint answered 2xx. */
  Delivered: 'delivered',
  /** Non-2xx, timeout, refused connection or a refused address. */
  Failed: 'failed',
} as const;
export type WebhookDeliveryOutcome = (typeof WebhookDeliveryOutcome)[keyof typeof WebhookDeliveryOutcome];

/** The signed body, exactly as sent: `{ type, timestamp, data }`. */
export type WebhookPayload = { type: string; timestamp: string; data: Record<string, unknown> };

export type WebhookDelivery = {
  id: string;
  storeId: string;
  endpointId: string;
  /** The outbox row this message came from; null once that row is gone. */
  notificationId: string | null;
  /** The `webhook-id` header: the same on every attempt and replay of one message. */
  messageId: string;
  eventType: string;
  payload: WebhookPayload;
  /** 1 for the first attempt of this message to this endpoint, counting retries and replays. */
  attempt: number;
  /** The delivery this one replayed, when it is a replay. */
  replayOf: string | null;
  outcome: WebhookDeliveryOutcome;
  statusCode: number | null;
  responseMs: number | null;
  error: string | null;
  attemptedAt: string;
  completedAt: string | null;
};

export type NewWebhookDelivery = {
  storeId: string;
  endpointId: string;
  notificationId: string | null;
  messageId: string;
  payload: WebhookPayload;
  replayOf: string | null;
};

export type WebhookDeliveryResult = {
  outcome: 'delivered' | 'failed';
  statusCode: number | null;
  responseMs: number;
  error: string | null;
};

export type WebhookDeliveryPage = { deliveries: WebhookDelivery[]; nextCursor: string | null };

export interface WebhookDeliveryLog {
  /** Records an attempt as pending, before the call, with the next attempt number for (message, endpoint). */
  startDelivery(input: NewWebhookDelivery, now: string): Promise<WebhookDelivery>;
  finishDelivery(id: string, result: WebhookDeliveryResult, now: string): Promise<void>;
  findDelivery(storeId: string, endpointId: string, id: string): Promise<WebhookDelivery | undefined>;
  /** Newest first; `cursor` is the `nextCursor` of the previous page. */
  listDeliveries(
    storeId: string,
    endpointId: string,
    page: { limit: number; cursor: string | null },
  ): Promise<WebhookDeliveryPage>;
  /** Endpoints that already answered 2xx for this outbox row: a retry of the row skips them. */
  listDeliveredEndpointIds(notificationId: string): Promise<string[]>;
}
