import { Eta } from 'eta/core';

import type { SupportedLocale } from '../notifications/templates/locale-copy.js';
import type { PageCopy } from './copy/page-copy.js';
import { LAYOUT, LOOKUP, MESSAGE, ORDER, SHIPMENT, STEPS } from './templates.js';
import { fill, pageCopy, type StoreFace, type TrackingView, type ViewItem } from './tracking-view.js';

const engine = new Eta({ autoEscape: true, autoTrim: false, cache: true });
engine.loadTemplate('@layout', LAYOUT);
engine.loadTemplate('@lookup', LOOKUP);
engine.loadTemplate('@steps', STEPS);
engine.loadTemplate('@shipment', SHIPMENT);
engine.loadTemplate('@order', ORDER);
engine.loadTemplate('@message', MESSAGE);

export type LookupProblem = 'not_found' | 'rate_limited' | 'expired';

type PageFrame = {
  lang: SupportedLocale;
  store: StoreFace;
  /** Per-response nonce for the store-colour `<style>` block. */
  nonce: string;
  preview?: boolean;
};

function withQuantities(copy: PageCopy, items: readonly ViewItem[]): { name: string; qty: string }[] {
  return items.map((item) => ({ name: item.name, qty: fill(copy.ui.quantity, { quantity: item.quantity }) }));
}

function layout(frame: PageFrame, title: string, body: string, options: { refreshUrl?: string | null } = {}): string {
  const copy = pageCopy(frame.lang);
  return engine.render('@layout', {
    lang: frame.lang,
    store: frame.store,
    nonce: frame.nonce,
    preview: frame.preview === true,
    copy,
    title,
    body,
    script: Boolean(options.refreshUrl),
    refreshUrl: options.refreshUrl ?? null,
    emailSupport: fill(copy.ui.emailSupport, { store: frame.store.name }),
  });
}

/** The inside of `<main>` for an order: what the page's script swaps in when it refreshes. */
export function renderOrderContent(view: TrackingView): string {
  const copy = pageCopy(view.lang);
  return engine.render('@order', {
    view: {
      ...view,
      shipments: view.shipments.map((shipment) => ({ ...shipment, items: withQuantities(copy, shipment.items) })),
      otherItems: withQuantities(copy, view.otherItems),
    },
    copy,
    trackOnCarrier: view.shipments.map((shipment) =>
      fill(copy.ui.trackOnCarrierSite, { carrier: shipment.carrierName ?? copy.ui.carrier }),
    ),
  });
}

export function renderOrderPage(
  view: TrackingView,
  frame: Omit<PageFrame, 'lang' | 'store'>,
  refreshUrl: string | null,
): string {
  return layout({ ...frame, lang: view.lang, store: view.store }, view.order.title, renderOrderContent(view), {
    refreshUrl,
  });
}

export function renderLookupPage(
  frame: PageFrame,
  input: { values?: { order?: string; email?: string }; problem?: LookupProblem | null },
): string {
  const copy = pageCopy(frame.lang);
  const message =
    input.problem === 'not_found'
      ? copy.ui.notFound
      : input.problem === 'rate_limited'
        ? copy.ui.tooManyAttempts
        : input.problem === 'expired'
          ? copy.ui.linkExpired
          : null;
  const body = engine.render('@lookup', {
    copy,
    store: frame.store,
    message,
    messageTone: input.problem === 'expired' ? 'neutral' : 'problem',
    values: { order: input.values?.order ?? '', email: input.values?.email ?? '' },
  });
  return layout(frame, copy.ui.lookupTitle, body);
}

/** A page with one message: an unknown store, a broken link. */
export function renderMessagePage(frame: PageFrame, title: string, message: string): string {
  return layout(frame, title, engine.render('@message', { title, message }));
}
