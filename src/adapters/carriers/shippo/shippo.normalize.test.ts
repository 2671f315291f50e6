import { readFileSync } from 'node:fs';

import { describe, expect, it, vi } from 'vitest';

import { DomainError } from '../../../core/errors.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { normalizeShippoWebhook } from './shippo.normalize.js';

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

const NEW_YORK = { city: 'New York', region: 'NY', postalCode: null, country: 'US' };
const SAN_DIEGO = { city: 'San Diego', region: 'CA', postalCode: '92101', country: 'US' };

describe('normalizeShippoWebhook, recorded sample', () => {
  it('should map the SDK’s delivered example, letting DELIVERED win over its contradictory substatus', () => {
    const onUnmappedCode = vi.fn();
    const result = found(normalizeShippoWebhook(fixture('webhook_track_updated_delivered.json'), { onUnmappedCode }));
    expect(result).toEqual({
      carrier: 'usps',
      trackingNumber: '9205590164917312751089',
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
      // eta is null; original_eta is the first promise, not the carrier's current estimate.
      estimatedDelivery: null,
      deliveredAt: '2016-07-23T00:00:00.000Z',
      signedBy: null,
      service: 'Priority Mail Express',
      events: [
        {
          occurredAt: '2016-07-23T00:00:00.000Z',
          occurredAtLocal: '2016-07-23T00:00:00Z',
          timeZoneInferred: false,
          sequence: null,
          status: 'delivered',
          substatus: 'delivered',
          reason: null,
          description: 'Your shipment has been delivered at the destination mailbox.',
          location: { city: 'Las Vegas', region: 'NV', postalCode: '89101', country: 'US' },
          rawCode: 'information_received',
          rawStatus: 'DELIVERED',
        },
      ],
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('DELIVERED/information_received');
  });
});

describe('normalizeShippoWebhook, Waymark scenarios', () => {
  it('should map a DHL Express history without repeating the current status', () => {
    const result = found(
      normalizeShippoWebhook(fixture('SYNTHETIC_webhook_track_updated_out_for_delivery_dhl_express.json')),
    );
    expect({ ...result, events: [] }).toEqual({
      carrier: 'dhl',
      trackingNumber: '4057123456',
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
      reason: null,
      estimatedDelivery: '2026-11-27',
      deliveredAt: null,
      signedBy: null,
      service: 'Express Worldwide',
      events: [],
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-11-24T14:00:00.000Z',
        '2026-11-24T14:00:00Z',
        false,
        'info_received',
        'label_created',
        null,
        'information_received',
        'PRE_TRANSIT',
      ],
      [
        '2026-11-24T18:20:00.000Z',
        '2026-11-24T18:20:00Z',
        false,
        'in_transit',
        'picked_up',
        null,
        'package_accepted',
        'TRANSIT',
      ],
      // TRANSIT without a substatus: only "moving" is known.
      ['2026-11-24T23:41:00.000Z', '2026-11-24T23:41:00Z', false, 'in_transit', 'in_transit', null, null, 'TRANSIT'],
      [
        '2026-11-25T02:05:00.000Z',
        '2026-11-25T02:05:00Z',
        false,
        'in_transit',
        'departed_facility',
        null,
        'package_departed',
        'TRANSIT',
      ],
      [
        '2026-11-26T09:30:00.000Z',
        '2026-11-26T09:30:00Z',
        false,
        'in_transit',
        'arrived_at_facility',
        null,
        'package_arrived',
        'TRANSIT',
      ],
      ['2026-11-26T15:00:00.000Z', '2026-11-26T15:00:00Z', false, 'exception', 'delayed', null, 'delayed', 'TRANSIT'],
      [
        '2026-11-27T13:10:00.000Z',
        '2026-11-27T13:10:00Z',
        false,
        'out_for_delivery',
        'out_for_delivery',
        null,
        'out_for_delivery',
        'TRANSIT',
      ],
    ]);
    expect(result.events[0]?.location).toEqual({ city: 'Leipzig', region: null, postalCode: '04435', country: 'DE' });
    expect(result.events[4]?.location).toEqual(NEW_YORK);
    expect(result.events[4]?.description).toBe('Arrived at Sort Facility NEW YORK - USA');
  });

  it('should map failed attempts, append a current status missing from the history, and report a new substatus', () => {
    const onUnmappedCode = vi.fn();
    const result = found(
      normalizeShippoWebhook(fixture('SYNTHETIC_webhook_track_updated_attempt_notice_left.json'), { onUnmappedCode }),
    );
    expect(result).toMatchObject({
      carrier: 'usps',
      trackingNumber: '9205590164917312751234',
      status: 'attempt_failed',
      substatus: 'notice_left',
      reason: null,
      estimatedDelivery: null,
      service: 'Priority Mail',
    });
    expect(timeline(result.events)).toEqual([
      // No offset: Los Angeles, CA in November is UTC-8, inferred.
      [
        '2026-11-20T17:15:00.000Z',
        '2026-11-20T09:15:00',
        true,
        'in_transit',
        'processed_at_facility',
        null,
        'package_processed',
        'TRANSIT',
      ],
      [
        '2026-11-21T08:00:00.000Z',
        '2026-11-21T08:00:00Z',
        false,
        'unknown',
        'unmapped_carrier_status',
        null,
        'package_redirected_to_locker',
        'TRANSIT',
      ],
      [
        '2026-11-21T19:42:00.000Z',
        '2026-11-21T19:42:00Z',
        false,
        'attempt_failed',
        'attempted',
        null,
        'delivery_attempted',
        'TRANSIT',
      ],
      [
        '2026-11-22T20:05:00.000Z',
        '2026-11-22T20:05:00Z',
        false,
        'attempt_failed',
        'notice_left',
        null,
        'notice_left',
        'TRANSIT',
      ],
    ]);
    expect(result.events.slice(1).map((e) => e.location)).toEqual([SAN_DIEGO, SAN_DIEGO, SAN_DIEGO]);
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('package_redirected_to_locker');
  });

  it('should map a pickup point, an unclaimed parcel and its return', () => {
    const result = found(normalizeShippoWebhook(fixture('SYNTHETIC_webhook_track_updated_returned.json')));
    expect(result).toMatchObject({
      carrier: 'ups',
      status: 'return_to_sender',
      substatus: 'returning',
      reason: null,
      service: 'UPS Ground',
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-11-02T15:00:00.000Z',
        '2026-11-02T15:00:00Z',
        false,
        'available_for_pickup',
        'ready_at_pickup_point',
        null,
        'pickup_available',
        'TRANSIT',
      ],
      [
        '2026-11-09T16:00:00.000Z',
        '2026-11-09T16:00:00Z',
        false,
        'exception',
        'unclaimed',
        'consignee_not_available',
        'package_unclaimed',
        'RETURNED',
      ],
      [
        '2026-11-10T11:30:00.000Z',
        '2026-11-10T11:30:00Z',
        false,
        'return_to_sender',
        'returning',
        null,
        'return_to_sender',
        'RETURNED',
      ],
    ]);
  });

  it('should map a lost parcel and keep an unknown carrier token', () => {
    const result = found(normalizeShippoWebhook(fixture('SYNTHETIC_webhook_track_updated_failure_lost.json')));
    expect({ ...result, events: [] }).toEqual({
      carrier: 'shippo',
      trackingNumber: 'SHIPPO_FAILURE',
      status: 'failure',
      substatus: 'lost',
      reason: 'carrier_parcel_lost',
      estimatedDelivery: '2026-11-30T17:00:00.000Z',
      deliveredAt: null,
      signedBy: null,
      service: null,
      events: [],
    });
    expect(timeline(result.events)).toEqual([
      ['2026-11-25T10:00:00.000Z', '2026-11-25T10:00:00Z', false, 'in_transit', 'in_transit', null, null, 'TRANSIT'],
      [
        '2026-12-01T18:00:00.000Z',
        '2026-12-01T18:00:00Z',
        false,
        'failure',
        'lost',
        'carrier_parcel_lost',
        'package_lost',
        'FAILURE',
      ],
    ]);
    expect(result.events[1]?.location).toBeNull();
  });

  it('should report a Track with no dated event and status UNKNOWN as not found yet', () => {
    expect(normalizeShippoWebhook(fixture('SYNTHETIC_webhook_track_updated_unknown.json'))).toEqual([
      {
        kind: 'not_found_yet',
        trackingNumber: 'SHIPPO_UNKNOWN',
        message: 'The carrier has not yet provided tracking information.',
      },
    ]);
  });

  it('should ignore webhooks that are not tracking updates', () => {
    expect(normalizeShippoWebhook(fixture('SYNTHETIC_webhook_transaction_created.json'))).toEqual([]);
    expect(normalizeShippoWebhook({ event: 'batch_purchased' })).toEqual([]);
  });
});

describe('normalizeShippoWebhook, wrong shapes', () => {
  it('should refuse a body that is not a webhook envelope', () => {
    expectInvalidResponse(() => normalizeShippoWebhook([]), /^Shippo webhook: \(root\): /);
    expectInvalidResponse(() => normalizeShippoWebhook({ data: {} }), /^Shippo webhook: event: /);
  });

  it('should name the field when data is not a Track', () => {
    const body = fixture('webhook_track_updated_delivered.json') as { data: Record<string, unknown> };
    delete body.data.tracking_number;
    expectInvalidResponse(() => normalizeShippoWebhook(body), /^Shippo webhook: data\.tracking_number: /);
    expectInvalidResponse(() => normalizeShippoWebhook({ event: 'track_updated' }), /^Shippo webhook: data: /);
  });

  it('should refuse an event whose date is not a date', () => {
    const body = fixture('SYNTHETIC_webhook_track_updated_returned.json') as {
      data: { tracking_history: { status_date: string }[] };
    };
    body.data.tracking_history[1]!.status_date = 'last Tuesday';
    expectInvalidResponse(
      () => normalizeShippoWebhook(body),
      /data\.tracking_history\.1\.status_date is not a date: "last Tuesday"/,
    );
  });
});
