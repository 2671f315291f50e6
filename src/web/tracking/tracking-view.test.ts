import { describe, expect, it } from 'vitest';

import type { OrderView, ShipmentWithEvents } from '../../app/get-order.js';
import { EMPTY_BRANDING, type StoreBranding } from '../../core/store/store.js';
import { sampleTrackingOrder } from './sample-order.js';
import { buildTrackingView, storeFace } from './tracking-view.js';

const NOW = '2026-11-26T15:00:00.000Z';
const STORE = { slug: 'northwind', name: 'Northwind', branding: EMPTY_BRANDING, timeZone: 'America/New_York' };
const EN = { language: 'en', formatting: 'en-US' } as const;

function view(order: OrderView, locale: { language: 'en' | 'fr' | 'es' | 'de'; formatting: string } = EN) {
  return buildTrackingView({ store: STORE, order, locale, now: NOW });
}

function withParcel(order: OrderView, index: number, fields: Partial<ShipmentWithEvents>): OrderView {
  return { ...order, shipments: order.shipments.map((s, i) => (i === index ? { ...s, ...fields } : s)) };
}

describe('buildTrackingView', () => {
  const sample = sampleTrackingOrder('store-1', NOW);

  it('should show each parcel with its items, and what has not shipped yet', () => {
    const result = view(sample);

    expect(result.shipments.map((s) => [s.label, s.statusLabel, s.items])).toEqual([
      ['Parcel 1 of 2', 'Delivered', [{ name: 'Linen shirt', quantity: 1 }]],
      ['Parcel 2 of 2', 'Out for delivery', [{ name: 'Canvas tote', quantity: 2 }]],
    ]);
    expect(result.otherItemsHeading).toBe('Not shipped yet');
    expect(result.otherItems).toEqual([{ name: 'Wool scarf', quantity: 1 }]);
    expect(result.shipments[0]).toMatchObject({ signedBy: 'A. MORGAN', estimatedDelivery: null });
    expect(result.shipments[0]?.deliveredAt).toMatch(/Nov 25/);
    expect(result.order).toMatchObject({ number: '#1001', statusLabel: 'Partly shipped', notice: null });
  });

  it.each<[string, Partial<ShipmentWithEvents>, { problem: string | null; action: string | null; status: string }]>([
    [
      'a parcel at a pickup point',
      { status: 'available_for_pickup', substatus: 'ready_at_pickup_point' },
      { problem: null, action: 'Your parcel is waiting for you at a pickup point.', status: 'Ready for pickup' },
    ],
    [
      'a failed attempt with nobody home',
      { status: 'attempt_failed', substatus: 'recipient_unavailable' },
      { problem: 'nobody was available', action: null, status: 'Delivery attempted' },
    ],
    [
      'a parcel held in customs',
      { status: 'exception', substatus: 'customs_hold' },
      { problem: 'held in customs', action: null, status: 'Delayed' },
    ],
    [
      'a voided label',
      { status: 'cancelled', substatus: 'cancelled' },
      { problem: 'cancelled before the parcel was sent', action: null, status: 'Cancelled' },
    ],
  ])('should explain %s in plain words', (_name, fields, expected) => {
    const [parcel] = view(withParcel(sample, 1, fields)).shipments.slice(1);

    expect(parcel?.statusLabel).toBe(expected.status);
    if (expected.problem === null) expect(parcel?.problem).toBeNull();
    else expect(parcel?.problem).toContain(expected.problem);
    if (expected.action === null) expect(parcel?.action).toBeNull();
    else expect(parcel?.action).toContain(expected.action);
  });

  it('should explain a cancelled order and list its items', () => {
    const cancelled: OrderView = { ...sample, orderStatus: 'cancelled', shippingSummary: 'cancelled', shipments: [] };

    const result = view(cancelled);

    expect(result.headline.text).toBe('Order cancelled');
    expect(result.order.notice).toContain('This order was cancelled.');
    expect(result.otherItemsHeading).toBe('Your items');
    expect(result.otherItems).toHaveLength(3);
  });

  it('should speak French when asked, with French dates', () => {
    const result = view(sample, { language: 'fr', formatting: 'fr-FR' });

    expect(result.lang).toBe('fr');
    expect(result.shipments[1]?.statusLabel).toBe('En cours de livraison');
    expect(result.order.placedOn).toMatch(/^Passée le \d+ novembre 2026$/);
    expect(result.steps.map((s) => s.label)).toContain('Expédiée');
  });
});

describe('storeFace', () => {
  const face = (branding: Partial<StoreBranding>) =>
    storeFace({ slug: 's', name: 'Shop', branding: { ...EMPTY_BRANDING, ...branding } });

  it.each<[Partial<StoreBranding>, Partial<ReturnType<typeof face>>]>([
    [{}, { name: 'Shop', primaryColor: '#1f2937', onPrimaryColor: '#ffffff', logoUrl: null }],
    [{ displayName: '  Shop & Co  ' }, { name: 'Shop & Co' }],
    [{ primaryColor: '#FDE68A' }, { primaryColor: '#fde68a', onPrimaryColor: '#000000' }],
    [{ primaryColor: 'red; background:url(x)' }, { primaryColor: '#1f2937' }],
    [{ logoUrl: 'http://cdn.example/logo.png' }, { logoUrl: null }],
    [{ logoUrl: 'javascript:alert(1)' }, { logoUrl: null }],
    [{ logoUrl: 'https://cdn.example/logo.png' }, { logoUrl: 'https://cdn.example/logo.png' }],
    [{ supportEmail: 'help@shop.example' }, { supportEmail: 'help@shop.example' }],
    [{ supportEmail: 'not an email' }, { supportEmail: null }],
  ])('should turn branding %j into a safe face', (branding, expected) => {
    expect(face(branding)).toMatchObject(expected);
  });
});
