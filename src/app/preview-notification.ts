import { DomainError, ErrorCode } from '../core/errors.js';
import { MILESTONE_SUBJECT, type Milestone } from '../core/notification/milestone.js';
import type {
  NotificationTemplateStore,
  RenderSubject,
  RenderedMessage,
  TemplateChannel,
  TemplateKey,
  TemplateLocale,
  TemplateParts,
  TemplateRenderer,
} from '../core/ports/notification-template.port.js';
import type { LinkBuilder, MessageContext } from '../core/ports/notifier.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type { Shipment } from '../core/shipment/shipment.js';

export type PreviewDeps = {
  uow: UnitOfWork;
  templates: Pick<NotificationTemplateStore, 'findTemplate'>;
  renderer: TemplateRenderer;
  links: LinkBuilder;
};

export type PreviewRequest = {
  milestone: Milestone;
  channel: TemplateChannel;
  /** The template language; default the customer's (with an order), else the store's. */
  locale?: TemplateLocale | null;
  /** A real order of the store; the sample order when absent. */
  orderId?: string | null;
  /** Which of the order's parcels, for parcel milestones; default the latest. */
  shipmentId?: string | null;
  /** An unsaved template to try out; default the saved override, else the built-in template. */
  draft?: TemplateParts | null;
};

export type NotificationPreview = {
  milestone: Milestone;
  channel: TemplateChannel;
  locale: TemplateLocale;
  /** Which template produced the message. */
  template: 'draft' | 'override' | 'built_in';
  data: 'sample' | 'order';
  orderId: string | null;
  shipmentId: string | null;
  message: RenderedMessage;
  /** Set when the saved override failed with this order and the built-in template was shown, as would be sent. */
  warning: string | null;
};

/**
 * A preview's links are signed for a recipient that is not the customer, so
 * a merchant clicking "unsubscribe" in a preview does not opt the customer out.
 */
const PREVIEW_RECIPIENT: Readonly<Record<TemplateChannel, string>> = {
  email: 'preview@waymark.invalid',
  sms: '+15555550100',
};

async function orderSubject(
  deps: PreviewDeps,
  storeId: string,
  request: PreviewRequest,
  orderId: string,
  locale: TemplateLocale | null,
  recipient: string,
): Promise<{ subject: RenderSubject; locale: TemplateLocale; shipment: Shipment | null }> {
  const stores = deps.uow.repositories;
  const [store, order] = await Promise.all([
    stores.stores.findStoreById(storeId),
    stores.orders.findOrderById(storeId, orderId),
  ]);
  if (!store || !order) throw new DomainError(ErrorCode.NotFound, 'order not found');
  let shipment: Shipment | null = null;
  if (MILESTONE_SUBJECT[request.milestone] === 'shipment') {
    const shipments = (await stores.shipments.listShipmentsForOrders([order.id])).filter((s) => s.orderId === order.id);
    shipment = request.shipmentId
      ? (shipments.find((s) => s.id === request.shipmentId) ?? null)
      : (shipments.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1) ?? null);
    if (request.shipmentId && !shipment) throw new DomainError(ErrorCode.NotFound, 'shipment not found');
  }
  const context: MessageContext = {
    milestone: request.milestone,
    locale: locale ?? order.customer.language ?? store.locale,
    store,
    order,
    shipment,
    trackingUrl: deps.links.trackingUrl(store.id, order.id),
    unsubscribeUrl: deps.links.unsubscribeUrl(store.id, request.channel, recipient),
    attemptNumber: shipment?.attemptNumber ?? 0,
    exceptionKind:
      shipment && (request.milestone === 'exception' || request.milestone === 'attempt_failed')
        ? shipment.substatus
        : null,
  };
  return {
    subject: { kind: 'message', context },
    locale: locale ?? deps.renderer.languageFor(order.customer.language, store.locale),
    shipment,
  };
}

/**
 * What a customer would receive for a milestone on a channel: from sample
 * data shown in the store's branding, or from one of the store's real
 * orders. Uses the draft when one is given (validated as a save would be:
 * `invalid_input` naming the part and line), else the store's saved override,
 * else the built-in template — with the same fallback as sending when a saved
 * override fails on this order.
 */
export async function previewNotification(
  deps: PreviewDeps,
  storeId: string,
  request: PreviewRequest,
  options: { recipient?: string } = {},
): Promise<NotificationPreview> {
  const recipient = options.recipient ?? PREVIEW_RECIPIENT[request.channel];
  let subject: RenderSubject;
  let locale: TemplateLocale;
  let shipment: Shipment | null = null;
  if (request.orderId) {
    ({ subject, locale, shipment } = await orderSubject(
      deps,
      storeId,
      request,
      request.orderId,
      request.locale ?? null,
      recipient,
    ));
  } else {
    const store = await deps.uow.repositories.stores.findStoreById(storeId);
    if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');
    locale = request.locale ?? deps.renderer.languageFor(null, store.locale);
    subject = { kind: 'sample', store, milestone: request.milestone, locale };
  }
  const key: TemplateKey = { milestone: request.milestone, channel: request.channel, locale };
  const preview = {
    milestone: request.milestone,
    channel: request.channel,
    locale,
    data: request.orderId ? ('order' as const) : ('sample' as const),
    orderId: request.orderId ?? null,
    shipmentId: shipment?.id ?? null,
  };

  if (request.draft) {
    deps.renderer.validate(key, request.draft);
    const message = deps.renderer.render(subject, request.channel, request.draft);
    return { ...preview, template: 'draft', message, warning: null };
  }
  const override = await deps.templates.findTemplate(storeId, key);
  if (override) {
    try {
      const message = deps.renderer.render(subject, request.channel, override);
      return { ...preview, template: 'override', message, warning: null };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const message = deps.renderer.render(subject, request.channel, null);
      return { ...preview, template: 'built_in', message, warning: `the saved template failed (${reason})` };
    }
  }
  return {
    ...preview,
    template: 'built_in',
    message: deps.renderer.render(subject, request.channel, null),
    warning: null,
  };
}
