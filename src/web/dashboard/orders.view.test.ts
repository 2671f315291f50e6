import { describe, expect, it } from 'vitest';

import { PLATFORM_SYNC_REF, type StatusChange } from '../../core/ports/storage.port.js';
import { causeOf } from './orders.view.js';

function change(fields: Pick<StatusChange, 'entityType' | 'field' | 'cause' | 'causeRef'>): StatusChange {
  return { id: 'c1', storeId: 's1', entityId: 'e1', from: null, to: 'x', at: '2026-11-26T10:00:00.000Z', ...fields };
}

describe('causeOf (the status journal says which system made a change)', () => {
  const cases: [string, Pick<StatusChange, 'entityType' | 'field' | 'cause' | 'causeRef'>, string, string | null][] = [
    [
      'an order synced from the platform',
      { entityType: 'order', field: 'order_status', cause: 'poll', causeRef: PLATFORM_SYNC_REF },
      'Shopify sync',
      null,
    ],
    [
      'its shipping summary, set by the same sync',
      { entityType: 'order', field: 'shipping_summary', cause: 'poll', causeRef: PLATFORM_SYNC_REF },
      'Shopify sync',
      null,
    ],
    [
      'an order status journalled by a sync before the ref existed',
      { entityType: 'order', field: 'order_status', cause: 'poll', causeRef: null },
      'Shopify sync',
      null,
    ],
    [
      'a payment status from a sync',
      { entityType: 'order', field: 'financial_status', cause: 'poll', causeRef: null },
      'Shopify sync',
      null,
    ],
    [
      'a parcel moved by a carrier poll',
      { entityType: 'shipment', field: 'shipping_status', cause: 'poll', causeRef: null },
      'Carrier poll',
      null,
    ],
    [
      'the summary rolled up from a carrier poll',
      { entityType: 'order', field: 'shipping_summary', cause: 'poll', causeRef: null },
      'Carrier poll',
      null,
    ],
    [
      'a webhook delivery, with its inbox id',
      { entityType: 'order', field: 'order_status', cause: 'webhook', causeRef: 'inbox-1' },
      'Webhook',
      'inbox-1',
    ],
    [
      'a dashboard user, named',
      { entityType: 'shipment', field: 'carrier', cause: 'user', causeRef: 'ops@shop.example' },
      'Dashboard user',
      'ops@shop.example',
    ],
  ];

  it.each(cases)('should name %s', (_name, fields, cause, ref) => {
    expect(causeOf(change(fields), 'Shopify')).toEqual({ cause, ref });
  });
});
