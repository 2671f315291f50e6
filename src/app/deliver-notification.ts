import { DomainError, ErrorCode, isDomainError } from '../core/errors.js';
import type { Milestone } from '../core/notification/milestone.js';
import { isUrgentMilestone, quietHoursReleaseAt, type QuietHours } from '../core/notification/quiet-hours.js';
import type { Clock } from '../core/ports/clock.port.js';
import type {
  EmailSender,
  LinkBuilder,
  MessageRenderer,
  SmsSender,
  WebhookSender,
} from '../core/ports/notifier.port.js';
import type { NotificationRecord, UnitOfWork } from '../core/ports/storage.port.js';
import type { Order } from '../core/order/order.js';
import type { Shipment } from '../core/shipment/shipment.js';
import type { Store } from '../core/store/store.js';

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
};

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
    const rendered = deps.renderer.renderEmail(context);
    const displayName = (store.branding.displayName ?? store.name).replace(/["\\\r\n]/g, '');
    const sent = await deps.senders.email.send({
      to: row.recipient,
      from: `"${displayName}" <${deps.emailFrom.replace(/^.*<([^>]+)>.*$/, '$1')}>`,
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
      body: deps.renderer.renderSms(context).body,
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
    // One message id for every endpoint and every retry: receivers deduplicate on webhook-id.
    for (const endpoint of endpoints) {
      await deps.senders.webhook.send({
        url: endpoint.url,
        secret: endpoint.secret,
        messageId: `msg_${row.id.replace(/-/g, '')}`,
        type,
        occurredAt: typeof row.payload.happenedAt === 'string' ? row.payload.happenedAt : row.createdAt,
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
      });
    }
    return endpoints.length === 0 ? 'no endpoints' : `webhook:${endpoints.length}`;
  }
  throw new DomainError(ErrorCode.InvalidInput, `unknown channel ${row.channel}`);
}
