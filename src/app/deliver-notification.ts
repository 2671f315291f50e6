import { DomainError, ErrorCode, isDomainError } from '../core/errors.js';
import type { Milestone } from '../core/notification/milestone.js';
import type {
  NotificationTemplateStore,
  TemplateChannel,
  TemplateRenderer,
} from '../core/ports/notification-template.port.js';
import { isUrgentMilestone, quietHoursReleaseAt, type QuietHours } from '../core/notification/quiet-hours.js';
import type { Clock } from '../core/ports/clock.port.js';
import type {
  EmailSender,
  LinkBuilder,
  MessageContext,
  MessageRenderer,
  SmsSender,
  WebhookSender,
} from '../core/ports/notifier.port.js';
import type { WebhookDeliveryLog } from '../core/ports/webhook-delivery.port.js';
import type { NotificationRecord, UnitOfWork } from '../core/ports/storage.port.js';
import type { Order } from '../core/order/order.js';
import type { Shipment } from '../core/shipment/shipment.js';
import type { Store } from '../core/store/store.js';
import { sendLoggedWebhook } from './send-logged-webhook.js';

export type Senders = { email: EmailSender | null; sms: SmsSender | null; webhook: WebhookSender | null };

export type WebhookEndpointSource = {
  listEnabledEndpoints(storeId: string): Promise<{ id: string; url: string; secret: string; eventTypes: string[] }[]>;
};

export type DeliveryDeps = {
  uow: UnitOfWork;
  clock: Clock;
  senders: Senders;
  renderer: MessageRenderer;
  links: LinkBuilder;
  endpoints: WebhookEndpointSource;
  /** `WAYMARK_EMAIL_FROM`: the address; the store's name is shown with it. */
  emailFrom: string | null;
  /** Stores' own templates; without them every message uses the built-in ones. */
  templates?: { store: Pick<NotificationTemplateStore, 'findTemplate'>; renderer: TemplateRenderer };
  /** Where each attempt to a merchant endpoint is logged; without it only the outbox row records the outcome. */
  webhookDeliveries?: WebhookDeliveryLog;
  /** Told when a store's template fails at send time and the built-in one goes out instead. */
  warn?: (fields: Record<string, unknown>, message: string) => void;
};

/** `"Store name" <address>`: the store's display name over the configured sender address. */
export function emailFromHeader(store: Store, emailFrom: string): string {
  const displayName = (store.branding.displayName ?? store.name).replace(/["\\\r\n]/g, '');
  return `"${displayName}" <${emailFrom.replace(/^.*<([^>]+)>.*$/, '$1')}>`;
}

/**
 * The message from the store's override for its milestone, channel and
 * language when there is one, else from the built-in template. An override
 * that fails here passed validation when it was saved, so this is a bug or a
 * row written behind the API: the customer still gets the built-in message.
 */
async function renderCustomerMessage<C extends TemplateChannel>(
  deps: DeliveryDeps,
  channel: C,
  context: MessageContext,
): Promise<C extends 'email' ? { subject: string; html: string; text: string } : { body: string }>;
async function renderCustomerMessage(
  deps: DeliveryDeps,
  channel: TemplateChannel,
  context: MessageContext,
): Promise<{ subject: string; html: string; text: string } | { body: string }> {
  const builtIn = () => (channel === 'email' ? deps.renderer.renderEmail(context) : deps.renderer.renderSms(context));
  if (!deps.templates) return builtIn();
  const { store, order } = context;
  const key = {
    milestone: context.milestone as Milestone,
    channel,
    locale: deps.templates.renderer.languageFor(order.customer.language, store.locale),
  };
  const override = await deps.templates.store.findTemplate(store.id, key);
  if (!override) return builtIn();
  try {
    const rendered = deps.templates.renderer.render({ kind: 'message', context }, channel, override);
    return rendered.channel === 'email'
      ? { subject: rendered.subject, html: rendered.html, text: rendered.text }
      : { body: rendered.body };
  } catch (error) {
    deps.warn?.(
      { err: error, storeId: store.id, orderId: order.id, ...key },
      'the store template failed to render; the built-in template was sent instead',
    );
    return builtIn();
  }
}

/** Columns the worker writes when it completes a claimed outbox row. */
export type DeliveryCompletion = Record<string, unknown>;

const OUTCOME_UNKNOWN =
  'outcome unknown: the worker stopped during the provider call; not sent again to avoid a duplicate (see docs/ARCHITECTURE.md)';

function finished(state: string, reason: string | null, extra: Record<string, unknown> = {}): DeliveryCompletion {
  return { state, last_error: reason, next_attempt_at: null, ...extra };
}

/**
 * Delivers one claimed outbox row, at most once. Before the provider call the
 * row is marked `sending` in its own commit; a row found `sending` when claimed
 * again means a worker died during the call, and is failed with that reason
 * rather than sent a second time. Opt-outs and quiet hours are checked at send
 * time, so a customer who unsubscribes after a message was planned is respected.
 */
export async function deliverNotification(
  deps: DeliveryDeps,
  claimed: { id: string; owner: string },
): Promise<DeliveryCompletion> {
  const now = deps.clock.now();
  const stores = deps.uow.repositories;
  const row = await stores.notifications.findNotification(claimed.id);
  if (!row) return finished('dead', 'row vanished');
  if (row.state === 'sending') return finished('failed', OUTCOME_UNKNOWN);
  if (row.state === 'sent' || row.state === 'suppressed' || row.state === 'failed')
    return finished(row.state, row.reason);

  const [store, order] = await Promise.all([
    stores.stores.findStoreById(row.storeId),
    row.orderId ? stores.orders.findOrderById(row.storeId, row.orderId) : undefined,
  ]);
  if (!store || !order) return finished('suppressed', 'order or store no longer exists');
  const shipment = row.shipmentId
    ? ((await stores.shipments.findShipmentById(row.storeId, row.shipmentId)) ?? null)
    : null;

  const sender = deps.senders[row.channel as keyof Senders];
  if (!sender) {
    return finished(
      'planned',
      row.channel === 'email'
        ? 'no SMTP_URL configured: kept in the local outbox'
        : `no ${row.channel} transport configured: kept in the local outbox`,
    );
  }
  if (row.recipient && (await stores.notifications.isOptedOut(row.storeId, row.channel, row.recipient))) {
    return finished('suppressed', `the customer opted out of ${row.channel}`);
  }
  if (row.channel !== 'webhook' && !isUrgentMilestone(row.milestone as Milestone)) {
    const quiet = (store.notificationSettings.quietHours ?? null) as QuietHours | null;
    const releaseAt = quietHoursReleaseAt(now, quiet, store.timeZone);
    if (releaseAt) return { state: 'held', last_error: `quiet hours until ${releaseAt}`, next_attempt_at: releaseAt };
  }

  if (row.channel === 'webhook') {
    const type = `${row.shipmentId ? 'shipment' : 'order'}.${row.milestone}`;
    const subscribed = (await deps.endpoints.listEnabledEndpoints(store.id)).some(
      (e) => e.eventTypes.length === 0 || e.eventTypes.includes(type),
    );
    if (!subscribed) return finished('suppressed', 'no enabled webhook endpoint subscribes to this event');
  }

  if (!(await stores.notifications.markSending(row.id, claimed.owner, now)))
    throw new DomainError(ErrorCode.Conflict, 'lease lost before sending');
  try {
    const providerMessageId = await send(deps, row, { store, order, shipment });
    return finished('sent', null, { sent_at: deps.clock.now(), provider_message_id: providerMessageId });
  } catch (error) {
    // The provider refused or failed: the outcome is known, so the row may be retried (or parked) normally.
    // A provider that may have accepted the message before failing (a 2xx we could not read) is
    // treated like a crash: not resent.
    if (isDomainError(error) && error.details?.mayHaveBeenSent === true) return finished('failed', OUTCOME_UNKNOWN);
    await deps.uow.repositories.notifications.resetSending(row.id, deps.clock.now());
    if (isDomainError(error) && error.details?.optedOut === true && row.recipient) {
      await stores.notifications.optOut(row.storeId, row.channel, row.recipient, now);
      return finished('suppressed', 'the carrier of the message reports the customer opted out (STOP)');
    }
    throw error;
  }
}

async function send(
  deps: DeliveryDeps,
  row: NotificationRecord,
  subject: { store: Store; order: Order; shipment: Shipment | null },
): Promise<string> {
  const { store, order, shipment } = subject;
  const context = {
    milestone: row.milestone,
    locale: order.customer.language ?? store.locale,
    store,
    order,
    shipment,
    trackingUrl: deps.links.trackingUrl(store.id, order.id),
    unsubscribeUrl: row.recipient
      ? deps.links.unsubscribeUrl(store.id, row.channel, row.recipient)
      : deps.links.trackingUrl(store.id, order.id),
    attemptNumber: Number(row.payload.attemptNumber ?? 0),
    exceptionKind: typeof row.payload.variant === 'string' ? row.payload.variant : null,
  };
  if (row.channel === 'email') {
    if (!deps.senders.email || !row.recipient)
      throw new DomainError(ErrorCode.InvalidInput, 'email without a sender or recipient');
    if (!deps.emailFrom) throw new DomainError(ErrorCode.ConfigInvalid, 'WAYMARK_EMAIL_FROM is not set');
    const rendered = await renderCustomerMessage(deps, 'email', context);
    const sent = await deps.senders.email.send({
      to: row.recipient,
      from: emailFromHeader(store, deps.emailFrom),
      replyTo: store.branding.supportEmail,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      unsubscribeUrl: context.unsubscribeUrl,
      idempotencyKey: row.idempotencyKey,
      milestone: row.milestone,
    });
    return sent.providerMessageId;
  }
  if (row.channel === 'sms') {
    if (!deps.senders.sms || !row.recipient)
      throw new DomainError(ErrorCode.InvalidInput, 'SMS without a sender or recipient');
    const sent = await deps.senders.sms.send({
      to: row.recipient,
      body: (await renderCustomerMessage(deps, 'sms', context)).body,
      idempotencyKey: row.idempotencyKey,
    });
    return sent.providerMessageId;
  }
  if (row.channel === 'webhook') {
    if (!deps.senders.webhook) throw new DomainError(ErrorCode.InvalidInput, 'webhook without a sender');
    const type = `${row.shipmentId ? 'shipment' : 'order'}.${row.milestone}`;
    const endpoints = (await deps.endpoints.listEnabledEndpoints(store.id)).filter(
      (e) => e.eventTypes.length === 0 || e.eventTypes.includes(type),
    );
    // A retry goes only to the endpoints that have not answered 2xx yet.
    const delivered = new Set(
      deps.webhookDeliveries ? await deps.webhookDeliveries.listDeliveredEndpointIds(row.id) : [],
    );
    const payload = {
      type,
      timestamp: typeof row.payload.happenedAt === 'string' ? row.payload.happenedAt : row.createdAt,
      data: {
        orderId: order.id,
        orderNumber: order.number,
        shipmentId: shipment?.id ?? null,
        trackingNumber: shipment?.trackingNumber ?? null,
        carrier: shipment?.carrier ?? null,
        status: shipment?.status ?? null,
        substatus: shipment?.substatus ?? null,
        attemptNumber: context.attemptNumber,
      },
    };
    const failures: unknown[] = [];
    for (const endpoint of endpoints) {
      if (delivered.has(endpoint.id)) continue;
      const attempt = await sendLoggedWebhook(
        { clock: deps.clock, sender: deps.senders.webhook, log: deps.webhookDeliveries ?? null },
        {
          storeId: store.id,
          endpoint,
          notificationId: row.id,
          // One message id for every endpoint, retry and replay: receivers deduplicate on webhook-id.
          messageId: `msg_${row.id.replace(/-/g, '')}`,
          payload,
          replayOf: null,
        },
      );
      if (attempt.error !== null) failures.push(attempt.error);
    }
    // One endpoint down must not stop the others; the row is retried (for the failed ones only) unless
    // every failure is permanent.
    const retryable = failures.find((error) => !(isDomainError(error) && error.code === ErrorCode.InvalidInput));
    if (failures.length > 0) throw retryable ?? failures[0];
    return endpoints.length === 0 ? 'no endpoints' : `webhook:${endpoints.length}`;
  }
  throw new DomainError(ErrorCode.InvalidInput, `unknown channel ${row.channel}`);
}
