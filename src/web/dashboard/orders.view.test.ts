import { describe, expect, it } from 'vitest';

import { PLATFORM_SYNC_REF, type StatusChange } from '../../core/ports/storage.port.js';
import { causeOf } from './orders.view.js';

function change(fields: Pick<StatusChange, 'entityType' | 'field' | 'cause' | 'causeRef'>): StatusChange {
  return { id: 'c1', storeId: 's1', entityId: 'e1', from: null, to: 'x', at: '2026-11-26T10:00:00.000Z', ...fields };
}

describe('causeOf (the status journal says which system made a change)', () => {
  type Row = [string, StatusChange['entityType'], StatusChange['field'], StatusChange['cause'], string | null, string];
  const SYNC = PLATFORM_SYNC_REF;
  // prettier-ignore
  const cases: Row[] = [
    ['an order synced from the platform',               'order',    'order_status',     'poll',    SYNC,               'Shopify sync'],
    ['its shipping summary, set by the same sync',      'order',    'shipping_summary', 'poll',    SYNC,               'Shopify sync'],
    ['an order status synced before the ref existed',   'order',    'order_status',     'poll',    null,               'Shopify sync'],
    ['a payment status from a sync',                    'order',    'financial_status', 'poll',    null,               'Shopify sync'],
    ['a parcel moved by a carrier poll',                'shipment', 'shipping_status',  'poll',    null,               'Carrier poll'],
    ['the summary rolled up from a carrier poll',       'order',    'shipping_summary', 'poll',    null,               'Carrier poll'],
    ['a webhook delivery, with its inbox id',           'order',    'order_status',     'webhook', 'inbox-1',          'Webhook'],
    ['a dashboard user, named',                         'shipment', 'carrier',          'user',    'ops@shop.example', 'Dashboard user'],
  ];

  it.each(cases)('should name %s', (_name, entityType, field, cause, causeRef, text) => {
    const shownRef = causeRef === SYNC ? null : causeRef;

    expect(causeOf(change({ entityType, field, cause, causeRef }), 'Shopify')).toEqual({ cause: text, ref: shownRef });
  });
});
