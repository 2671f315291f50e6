import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../../core/errors.js';
import { normalizeUpsTrackAlert, upsTrackAlertEventId, verifyUpsTrackAlert } from './ups.webhook.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const API_KEY = 'ups-client-id-for-track-alert';

describe('verifyUpsTrackAlert', () => {
  it('accepts the configured x-api-key, in any header spelling', () => {
    expect(verifyUpsTrackAlert({ 'x-api-key': API_KEY, 'user-agent': 'UPSPubSubTrackingService' }, API_KEY)).toBe(true);
    expect(verifyUpsTrackAlert({ 'X-Api-Key': API_KEY }, API_KEY)).toBe(true);
    expect(verifyUpsTrackAlert(new Headers({ 'x-api-key': API_KEY }), API_KEY)).toBe(true);
    expect(verifyUpsTrackAlert({ 'x-api-key': [API_KEY] }, API_KEY)).toBe(true);
  });

  it.each([
    ['missing', {}],
    ['wrong', { 'x-api-key': 'someone-else' }],
    ['a prefix', { 'x-api-key': API_KEY.slice(0, -1) }],
    ['longer', { 'x-api-key': `${API_KEY}x` }],
    ['empty', { 'x-api-key': '' }],
    ['sent twice', { 'x-api-key': [API_KEY, API_KEY] }],
  ])('rejects a key that is %s', (_name, headers) => {
    expect(verifyUpsTrackAlert(headers, API_KEY)).toBe(false);
  });

  it('refuses to run without a configured key rather than accept everything', () => {
    expect(thrown(() => verifyUpsTrackAlert({ 'x-api-key': '' }, '')).code).toBe('config_invalid');
  });
});

describe('normalizeUpsTrackAlert', () => {
  it('UPS example 1: out for delivery, exact instant from the GMT fields', () => {
    expect(normalizeUpsTrackAlert(fixture('trackalert_webhook_out_for_delivery.json'))).toEqual({
      kind: 'found',
      result: {
        carrier: 'ups',
        trackingNumber: '1Z204W4R0308071865',
        status: 'out_for_delivery',
        substatus: 'out_for_delivery',
        reason: null,
        estimatedDelivery: '2024-04-23',
        deliveredAt: null,
        signedBy: null,
        service: null,
        events: [
          {
            occurredAt: '2024-04-23T13:15:19.000Z',
            occurredAtLocal: '20240423 091519',
            timeZoneInferred: false,
            sequence: null,
            status: 'out_for_delivery',
            substatus: 'out_for_delivery',
            reason: null,
            description: 'Out for Delivery',
            location: { city: 'Charlotte', region: 'NC', postalCode: '30004', country: 'US' },
            rawCode: 'OT',
            rawStatus: '021',
          },
        ],
      },
    });
  });

  it('UPS example 2: delivered, signed by John', () => {
    const outcome = normalizeUpsTrackAlert(fixture('trackalert_webhook_delivered.json'));
    expect(outcome).toMatchObject({
      kind: 'found',
      result: {
        status: 'delivered',
        substatus: 'delivered',
        deliveredAt: '2024-04-23T13:50:04.000Z',
        signedBy: 'John',
        // UPS's example carries a stale original schedule; it is passed on as given.
        estimatedDelivery: '2019-10-14',
        events: [{ rawCode: 'FS', rawStatus: '011', occurredAt: '2024-04-23T13:50:04.000Z', timeZoneInferred: false }],
      },
    });
  });

  it('no GMT date or time but an offset in UPS\'s "-05.00" form: still exact', () => {
    expect(normalizeUpsTrackAlert(fixture('own_trackalert_exception_offset.json'))).toMatchObject({
      result: {
        status: 'exception',
        substatus: 'delayed',
        estimatedDelivery: '2026-12-03',
        events: [
          {
            occurredAt: '2026-12-02T11:45:00.000Z',
            occurredAtLocal: '20261202 064500',
            timeZoneInferred: false,
            rawCode: '2',
            rawStatus: '046',
          },
        ],
      },
    });
  });

  it('no zone at all: inferred from the place (Phoenix keeps MST in summer)', () => {
    expect(normalizeUpsTrackAlert(fixture('own_trackalert_update_no_zone.json'))).toMatchObject({
      result: {
        status: 'in_transit',
        substatus: 'delivery_rescheduled',
        estimatedDelivery: '2026-07-22',
        events: [{ occurredAt: '2026-07-20T12:30:00.000Z', timeZoneInferred: true, rawCode: 'UP', rawStatus: '154' }],
      },
    });
  });

  it('maps by type when the description code is missing, and reports unknown codes', () => {
    const onUnmappedCode = vi.fn();
    const body = {
      ...fixture('trackalert_webhook_out_for_delivery.json'),
      activityStatus: { type: 'I', code: 'ZQ', description: 'Something new', descriptionCode: '170' },
    };
    expect(normalizeUpsTrackAlert(body, { onUnmappedCode })).toMatchObject({
      result: { status: 'in_transit', substatus: 'in_transit' },
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('170');
  });

  it('reads a numeric descriptionCode as the 3-digit string it was', () => {
    const body = {
      ...fixture('trackalert_webhook_delivered.json'),
      activityStatus: { type: 'D', code: 'FS', description: 'Delivered', descriptionCode: 11 },
    };
    expect(normalizeUpsTrackAlert(body)).toMatchObject({
      result: { status: 'delivered', events: [{ rawStatus: '011' }] },
    });
  });

  it.each([
    ['not an object', 'hello', 'invalid_input'],
    ['no activityStatus', { trackingNumber: '1Z1' }, 'invalid_input'],
    ['an empty tracking number', { trackingNumber: ' ', activityStatus: { type: 'I' } }, 'invalid_input'],
    ['no date or time', { trackingNumber: '1Z1', activityStatus: { type: 'I' } }, 'invalid_input'],
  ])('a body with %s is rejected as invalid_input', (_name, body, code) => {
    const error = thrown(() => normalizeUpsTrackAlert(body));
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('\n');
  });
});

describe('upsTrackAlertEventId', () => {
  it('is stable per event and differs between events', () => {
    const out = fixture('trackalert_webhook_out_for_delivery.json');
    const delivered = fixture('trackalert_webhook_delivered.json');
    expect(upsTrackAlertEventId(out)).toBe('ups:1Z204W4R0308071865:2024-04-23T13:15:19.000Z:I/OT/021');
    expect(upsTrackAlertEventId(structuredClone(out))).toBe(upsTrackAlertEventId(out));
    expect(upsTrackAlertEventId(delivered)).toBe('ups:1Z204W4R0308071865:2024-04-23T13:50:04.000Z:D/FS/011');
  });

  it('ignores fields that change between redeliveries of the same event', () => {
    const out = fixture('trackalert_webhook_out_for_delivery.json');
    expect(
      upsTrackAlertEventId({ ...out, deliveryTimeDescription: 'by 2 pm', scheduledDeliveryDate: '20240424' }),
    ).toBe(upsTrackAlertEventId(out));
  });

  it('uses the exact instant from an offset, else the local wall-clock time', () => {
    expect(upsTrackAlertEventId(fixture('own_trackalert_exception_offset.json'))).toBe(
      'ups:1Z0W9X7Y0366666006:2026-12-02T11:45:00.000Z:X/2/046',
    );
    expect(upsTrackAlertEventId(fixture('own_trackalert_update_no_zone.json'))).toBe(
      'ups:1Z8V6E0X0312873002:local 20260720 053000:U/UP/154',
    );
  });
});
