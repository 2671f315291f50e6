import { readFileSync } from 'node:fs';

import { describe, expect, it, vi } from 'vitest';

import { DomainError } from '../../../core/errors.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { normalizeAfterShipWebhook } from './aftership.normalize.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
}

function found(outcomes: TrackingOutcome[]): TrackingResult {
  expect(outcomes).toHaveLength(1);
  const outcome = outcomes[0];
  if (outcome?.kind !== 'found') throw new Error(`expected a found outcome, got ${JSON.stringify(outcome)}`);
  return outcome.result;
}

/** [occurredAt, occurredAtLocal, timeZoneInferred, status, substatus, reason, rawCode, rawStatus] */
function timeline(events: NormalizedEvent[]): unknown[][] {
  return events.map((e) => [
    e.occurredAt,
    e.occurredAtLocal,
    e.timeZoneInferred,
    e.status,
    e.substatus,
    e.reason,
    e.rawCode,
    e.rawStatus,
  ]);
}

function expectInvalidResponse(run: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).code).toBe('upstream_invalid_response');
  expect((thrown as DomainError).message).toMatch(message);
}

const MEMPHIS = { city: 'MEMPHIS', region: 'TN', postalCode: '38118', country: 'US' };
const AUSTIN = { city: 'AUSTIN', region: 'TX', postalCode: '78701', country: 'US' };

describe('normalizeAfterShipWebhook, recorded sample', () => {
  it('should map the trimmed in-transit payload, reading its offset-less time as UTC (nothing to infer from)', () => {
    const result = found(normalizeAfterShipWebhook(fixture('webhook_tracking_update_in_transit.json')));
    expect(result).toEqual({
      carrier: 'usps',
      trackingNumber: '0000000000000000',
      status: 'in_transit',
      substatus: 'in_transit',
      reason: null,
      estimatedDelivery: null,
      deliveredAt: null,
      signedBy: null,
      service: null,
      events: [
        {
          occurredAt: '2021-01-14T00:52:00.000Z',
          occurredAtLocal: '2021-01-14T00:52:00',
          timeZoneInferred: true,
          sequence: null,
          status: 'in_transit',
          substatus: 'in_transit',
          reason: null,
          description: 'Departed Shipping Partner Facility, USPS Awaiting Item',
          location: null,
          rawCode: 'InTransit_001',
          rawStatus: 'InTransit',
        },
      ],
    });
  });
});

describe('normalizeAfterShipWebhook, Waymark scenarios', () => {
  it('should map a signed delivery (2026-07 field names), inferring zones from each scan’s state', () => {
    const result = found(
      normalizeAfterShipWebhook(fixture('SYNTHETIC_webhook_tracking_update_delivered_signed_2026_07.json')),
    );
    expect({ ...result, events: [] }).toEqual({
      carrier: 'fedex',
      trackingNumber: '785512345678',
      status: 'delivered',
      substatus: 'signed_for',
      reason: null,
      estimatedDelivery: '2026-11-26',
      deliveredAt: '2026-11-26T20:05:00.000Z',
      signedBy: 'M.GARCIA',
      service: 'FedEx Ground',
      events: [],
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-11-22T23:30:00.000Z',
        '2026-11-22T18:30:00-05:00',
        false,
        'info_received',
        'label_created',
        null,
        'InfoReceived_001',
        'InfoReceived',
      ],
      // Memphis, TN in November: America/Chicago, UTC-6.
      [
        '2026-11-23T15:14:00.000Z',
        '2026-11-23T09:14:00',
        true,
        'in_transit',
        'picked_up',
        null,
        'InTransit_002',
        'InTransit',
      ],
      [
        '2026-11-24T08:40:00.000Z',
        '2026-11-24T02:40:00-06:00',
        false,
        'in_transit',
        'departed_facility',
        null,
        'InTransit_007',
        'InTransit',
      ],
      [
        '2026-11-26T14:01:00.000Z',
        '2026-11-26T08:01:00',
        true,
        'out_for_delivery',
        'out_for_delivery',
        null,
        'OutForDelivery_001',
        'OutForDelivery',
      ],
      [
        '2026-11-26T20:05:00.000Z',
        '2026-11-26T14:05:00',
        true,
        'delivered',
        'signed_for',
        null,
        'Delivered_003',
        'Delivered',
      ],
    ]);
    expect(result.events.map((e) => e.location)).toEqual([null, MEMPHIS, MEMPHIS, AUSTIN, AUSTIN]);
    expect(result.events[1]?.description).toBe('Picked up');
  });

  it('should map a failed attempt from an older webhook version and keep an unknown carrier’s slug', () => {
    const result = found(
      normalizeAfterShipWebhook(fixture('SYNTHETIC_webhook_tracking_update_attempt_fail_legacy_fields.json')),
    );
    expect({ ...result, events: [] }).toEqual({
      carrier: 'royal-mail',
      trackingNumber: 'KA123456789GB',
      status: 'attempt_failed',
      substatus: 'recipient_unavailable',
      reason: 'consignee_not_home',
      // expected_delivery (legacy) is a wall-clock time: only its date is kept.
      estimatedDelivery: '2026-11-21',
      deliveredAt: null,
      signedBy: null,
      service: 'Tracked 24',
      events: [],
    });
    expect(timeline(result.events)).toEqual([
      // United Kingdom in November: Europe/London, UTC+0, inferred.
      [
        '2026-11-20T17:45:00.000Z',
        '2026-11-20T17:45:00',
        true,
        'in_transit',
        'picked_up',
        null,
        'InTransit_002',
        'InTransit',
      ],
      [
        '2026-11-21T07:02:00.000Z',
        '2026-11-21T07:02:00+00:00',
        false,
        'out_for_delivery',
        'out_for_delivery',
        null,
        'OutForDelivery_001',
        'OutForDelivery',
      ],
      [
        '2026-11-21T13:20:00.000Z',
        '2026-11-21T13:20:00',
        true,
        'attempt_failed',
        'recipient_unavailable',
        'consignee_not_home',
        'AttemptFail_002',
        'AttemptFail',
      ],
    ]);
    expect(result.events.map((e) => e.location)).toEqual([
      { city: 'Swindon', region: null, postalCode: null, country: 'GB' },
      { city: 'Leeds', region: null, postalCode: 'LS1 4AP', country: 'GB' },
      { city: 'Leeds', region: null, postalCode: 'LS1 4AP', country: 'GB' },
    ]);
  });

  it('should map a customs delay then a return, ignoring AfterShip’s own delivery prediction', () => {
    const result = found(
      normalizeAfterShipWebhook(fixture('SYNTHETIC_webhook_tracking_update_returning_after_customs.json')),
    );
    expect(result).toMatchObject({
      carrier: 'dhl',
      trackingNumber: '1234567890',
      status: 'return_to_sender',
      substatus: 'returning',
      reason: null,
      estimatedDelivery: null,
      deliveredAt: null,
      service: 'EXPRESS WORLDWIDE',
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-11-10T03:00:00.000Z',
        '2026-11-10T11:00:00+08:00',
        false,
        'in_transit',
        'departed_facility',
        null,
        'InTransit_007',
        'InTransit',
      ],
      // Frankfurt in November: Europe/Berlin, UTC+1.
      [
        '2026-11-12T03:30:00.000Z',
        '2026-11-12T04:30:00',
        true,
        'exception',
        'customs_hold',
        'customs_delay',
        'Exception_004',
        'Exception',
      ],
      [
        '2026-11-18T15:00:00.000Z',
        '2026-11-18T16:00:00',
        true,
        'return_to_sender',
        'returning',
        null,
        'Exception_010',
        'Exception',
      ],
    ]);
    expect(result.events[0]?.location).toEqual({ city: 'HONG KONG', region: null, postalCode: null, country: 'HK' });
  });

  it('should map a parcel waiting at a pickup point', () => {
    const result = found(
      normalizeAfterShipWebhook(fixture('SYNTHETIC_webhook_tracking_update_available_for_pickup.json')),
    );
    expect(result).toMatchObject({
      carrier: 'dpd',
      trackingNumber: '05212345678901',
      status: 'available_for_pickup',
      substatus: 'ready_at_pickup_point',
      reason: null,
      service: 'Predict',
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-11-25T09:15:00.000Z',
        '2026-11-25T10:15:00+01:00',
        false,
        'in_transit',
        'arrived_at_facility',
        null,
        'InTransit_003',
        'InTransit',
      ],
      [
        '2026-11-26T08:40:00.000Z',
        '2026-11-26T09:40:00',
        true,
        'available_for_pickup',
        'ready_at_pickup_point',
        null,
        'AvailableForPickup_001',
        'AvailableForPickup',
      ],
    ]);
    expect(result.events[1]?.location).toEqual({ city: 'Lyon', region: null, postalCode: '69002', country: 'FR' });
  });

  it('should report a tracking without any checkpoint as not found yet', () => {
    expect(normalizeAfterShipWebhook(fixture('SYNTHETIC_webhook_tracking_update_pending.json'))).toEqual([
      { kind: 'not_found_yet', trackingNumber: '9400111899223344556688', message: 'Pending' },
    ]);
  });

  it('should give unknown for subtags missing from the table, report each once, and keep them raw', () => {
    const onUnmappedCode = vi.fn();
    const result = found(
      normalizeAfterShipWebhook(fixture('SYNTHETIC_webhook_tracking_update_unmapped_subtags.json'), { onUnmappedCode }),
    );
    expect([result.status, result.substatus]).toEqual(['unknown', 'unmapped_carrier_status']);
    expect(timeline(result.events)).toEqual([
      // No location on the scans: the destination (WA) gives America/Los_Angeles, UTC-8.
      [
        '2026-11-24T14:10:00.000Z',
        '2026-11-24T06:10:00',
        true,
        'in_transit',
        'in_transit',
        null,
        'Delivered_001',
        'InTransit',
      ],
      [
        '2026-11-25T19:00:00.000Z',
        '2026-11-25T11:00:00',
        true,
        'unknown',
        'unmapped_carrier_status',
        null,
        'Exception_014',
        'Exception',
      ],
      [
        '2026-11-26T00:30:00.000Z',
        '2026-11-25T16:30:00',
        true,
        'unknown',
        'unmapped_carrier_status',
        null,
        'Exception_022',
        'Exception',
      ],
      [
        '2026-11-26T02:00:00.000Z',
        '2026-11-25T18:00:00',
        true,
        'unknown',
        'unmapped_carrier_status',
        null,
        'Exception_022',
        'Exception',
      ],
    ]);
    expect(onUnmappedCode.mock.calls).toEqual([['InTransit/Delivered_001'], ['Exception_014'], ['Exception_022']]);
  });

  it('should map an estimated-delivery revision like a tracking update, keeping an instant estimate as an instant', () => {
    const result = found(normalizeAfterShipWebhook(fixture('SYNTHETIC_webhook_edd_revise.json')));
    expect(result).toMatchObject({
      carrier: 'ups',
      status: 'in_transit',
      substatus: 'in_transit',
      estimatedDelivery: '2026-12-03T23:00:00.000Z',
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-12-02T01:12:00.000Z',
        '2026-12-01T20:12:00-05:00',
        false,
        'in_transit',
        'departed_facility',
        null,
        'InTransit_007',
        'InTransit',
      ],
    ]);
  });

  it('should ignore events that are not tracking updates', () => {
    expect(normalizeAfterShipWebhook(fixture('SYNTHETIC_webhook_tracking_pending_time.json'))).toEqual([]);
    expect(normalizeAfterShipWebhook({ event: 'return.approved', id: 'x', data: {} })).toEqual([]);
  });
});

describe('normalizeAfterShipWebhook, wrong shapes', () => {
  it('should refuse a body that is not a webhook envelope', () => {
    expectInvalidResponse(() => normalizeAfterShipWebhook(null), /^AfterShip webhook: \(root\): /);
    expectInvalidResponse(() => normalizeAfterShipWebhook({ msg: {} }), /^AfterShip webhook: event: /);
  });

  it('should name the field when msg is not a Tracking', () => {
    const body = fixture('webhook_tracking_update_in_transit.json') as { msg: Record<string, unknown> };
    delete body.msg.slug;
    expectInvalidResponse(() => normalizeAfterShipWebhook(body), /^AfterShip webhook: msg\.slug: /);
    expectInvalidResponse(() => normalizeAfterShipWebhook({ event: 'tracking_update' }), /^AfterShip webhook: msg: /);
  });

  it('should refuse a checkpoint whose time is not a date', () => {
    const body = fixture('webhook_tracking_update_in_transit.json') as {
      msg: { checkpoints: { checkpoint_time: string }[] };
    };
    body.msg.checkpoints[0]!.checkpoint_time = '14/01/2021';
    expectInvalidResponse(
      () => normalizeAfterShipWebhook(body),
      /msg\.checkpoints\.0\.checkpoint_time is not a date: "14\/01\/2021"/,
    );
  });
});
