import { readFileSync } from 'node:fs';

import { describe, expect, it, vi } from 'vitest';

import { DomainError } from '../../../core/errors.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { easyPostCarrierCode, normalizeEasyPostTracker, normalizeEasyPostWebhook } from './easypost.normalize.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
}

function found(outcomes: TrackingOutcome[] | TrackingOutcome): TrackingResult {
  const outcome = Array.isArray(outcomes) ? outcomes[0] : outcomes;
  if (Array.isArray(outcomes)) expect(outcomes).toHaveLength(1);
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

const ORLANDO = { city: 'ORLANDO', region: 'FL', postalCode: '32809', country: 'US' };

describe('normalizeEasyPostWebhook, recorded EasyPost samples', () => {
  it('should map the FedEx in-transit event (EasyPost/examples event-body.json)', () => {
    const result = found(normalizeEasyPostWebhook(fixture('webhook_tracker_updated_in_transit_fedex.json')));
    expect({ ...result, events: [] }).toEqual({
      carrier: 'fedex',
      trackingNumber: '1',
      status: 'in_transit',
      substatus: 'arrived_at_facility',
      reason: null,
      estimatedDelivery: '2024-08-05',
      deliveredAt: null,
      signedBy: null,
      service: 'FEDEX_GROUND',
      events: [],
    });
    expect(timeline(result.events)).toEqual([
      [
        '2024-07-31T15:00:00.000Z',
        '2024-07-31T15:00:00Z',
        false,
        'info_received',
        'label_created',
        null,
        'OC',
        'pre_transit/label_created',
      ],
      [
        '2024-07-31T19:27:00.000Z',
        '2024-07-31T19:27:00Z',
        false,
        'in_transit',
        'arrived_at_facility',
        null,
        'PU',
        'in_transit/arrived_at_facility',
      ],
      [
        '2024-07-31T22:35:00.000Z',
        '2024-07-31T22:35:00Z',
        false,
        'in_transit',
        'arrived_at_facility',
        null,
        'AR',
        'in_transit/arrived_at_facility',
      ],
      [
        '2024-08-01T14:42:13.000Z',
        '2024-08-01T14:42:13Z',
        false,
        'in_transit',
        'departed_facility',
        null,
        'DP',
        'in_transit/departed_facility',
      ],
      // status_detail "unknown" is EasyPost's catch-all: the status decides.
      [
        '2024-08-02T02:46:19.000Z',
        '2024-08-02T02:46:19Z',
        false,
        'in_transit',
        'in_transit',
        null,
        'IT',
        'in_transit/unknown',
      ],
      [
        '2024-08-02T18:35:20.000Z',
        '2024-08-02T18:35:20Z',
        false,
        'in_transit',
        'in_transit',
        null,
        'IT',
        'in_transit/unknown',
      ],
      [
        '2024-08-02T18:50:00.000Z',
        '2024-08-02T18:50:00Z',
        false,
        'in_transit',
        'arrived_at_facility',
        null,
        'AR',
        'in_transit/arrived_at_facility',
      ],
    ]);
    expect(result.events.map((e) => e.location)).toEqual([
      { city: null, region: null, postalCode: '32837', country: 'US' },
      ORLANDO,
      ORLANDO,
      ORLANDO,
      { city: 'KENLY', region: 'NC', postalCode: '27542', country: 'US' },
      { city: 'EDISON TWP', region: 'NJ', postalCode: '08817', country: 'US' },
      { city: 'EDISON', region: 'NJ', postalCode: '08817', country: 'US' },
    ]);
    expect(result.events.map((e) => e.description)).toEqual([
      'Shipment information sent to FedEx',
      'Picked up',
      'Arrived at FedEx location',
      'Departed FedEx location',
      'On the way',
      'On the way',
      'Arrived at FedEx location',
    ]);
    expect(result.events.every((e) => e.sequence === null)).toBe(true);
  });

  it('should let the underlying carrier’s table decide when a carrier-code mapper is given', () => {
    // EasyPost files FedEx PU "Picked up" as arrived_at_facility; FedEx's own code is more precise.
    const mapCarrierCode = vi.fn((carrier: string, code: string) =>
      carrier === 'fedex' && code === 'PU'
        ? { status: 'in_transit' as const, substatus: 'picked_up' as const, reason: null }
        : null,
    );
    const result = found(
      normalizeEasyPostWebhook(fixture('webhook_tracker_updated_in_transit_fedex.json'), { mapCarrierCode }),
    );
    expect(result.events.map((e) => e.substatus)).toEqual([
      'label_created',
      'picked_up',
      'arrived_at_facility',
      'departed_facility',
      'in_transit',
      'in_transit',
      'arrived_at_facility',
    ]);
    expect(mapCarrierCode.mock.calls.map(([, code]) => code)).toEqual(['OC', 'PU', 'AR', 'DP', 'IT', 'IT', 'AR']);
  });

  it('should map the UPS delivered docs sample, keeping its out-of-order delivered scan', () => {
    const result = found(normalizeEasyPostWebhook(fixture('webhook_tracker_updated_delivered_ups_docs.json')));
    expect({ ...result, events: [] }).toEqual({
      carrier: 'ups',
      trackingNumber: 'EZ4000000004',
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
      // est_delivery_date is midnight UTC: EasyPost's way of writing a date.
      estimatedDelivery: '2014-11-27',
      deliveredAt: '2014-11-19T10:51:54.000Z',
      signedBy: 'John Tester',
      service: null,
      events: [],
    });
    expect(timeline(result.events)).toEqual([
      [
        '2014-11-21T14:24:00.000Z',
        '2014-11-21T14:24:00Z',
        false,
        'info_received',
        'label_created',
        null,
        null,
        'pre_transit',
      ],
      ['2014-11-21T14:48:00.000Z', '2014-11-21T14:48:00Z', false, 'in_transit', 'in_transit', null, null, 'in_transit'],
      ['2014-11-22T08:51:00.000Z', '2014-11-22T08:51:00Z', false, 'in_transit', 'in_transit', null, null, 'in_transit'],
      ['2014-11-23T09:31:00.000Z', '2014-11-23T09:31:00Z', false, 'in_transit', 'in_transit', null, null, 'in_transit'],
      [
        '2014-11-24T08:10:00.000Z',
        '2014-11-24T08:10:00Z',
        false,
        'out_for_delivery',
        'out_for_delivery',
        null,
        null,
        'out_for_delivery',
      ],
      ['2014-11-19T10:51:54.000Z', '2014-11-19T10:51:54Z', false, 'delivered', 'delivered', null, null, 'delivered'],
    ]);
    expect(result.events[0]?.location).toBeNull();
    expect(result.events[1]?.location).toEqual({
      city: 'SOUTH SAN FRANCISCO',
      region: 'CA',
      postalCode: null,
      country: 'US',
    });
    expect(result.events[5]?.description).toBe('DELIVERED');
  });
});

describe('normalizeEasyPostTracker, recorded Tracker objects', () => {
  it.each([
    [
      'tracker_retrieve_pre_transit.json',
      '2025-05-09T20:40:17.000Z',
      ['2025-04-09T20:40:17.000Z', '2025-04-10T09:17:17.000Z'],
    ],
    [
      'tracker_create_pre_transit_cassette.json',
      '2025-03-06T19:48:26.000Z',
      ['2025-02-06T19:48:26.000Z', '2025-02-07T08:25:26.000Z'],
    ],
  ])('should map %s (test code EZ1000000001, pre-transit)', (name, estimatedDelivery, instants) => {
    const result = found(normalizeEasyPostTracker(fixture(name)));
    expect({ ...result, events: [] }).toEqual({
      carrier: 'usps',
      trackingNumber: 'EZ1000000001',
      // status_update is a catch-all: pre_transit decides.
      status: 'info_received',
      substatus: 'label_created',
      reason: null,
      estimatedDelivery,
      deliveredAt: null,
      signedBy: null,
      service: 'First-Class Package Service',
      events: [],
    });
    expect(result.events.map((e) => [e.occurredAt, e.timeZoneInferred, e.substatus, e.rawCode, e.rawStatus])).toEqual([
      [instants[0], false, 'label_created', 'status_update', 'pre_transit/status_update'],
      [instants[1], false, 'label_created', 'status_update', 'pre_transit/status_update'],
    ]);
    expect(result.events.map((e) => e.description)).toEqual([
      'Pre-Shipment Info Sent to USPS',
      'Shipping Label Created',
    ]);
    expect(result.events.map((e) => e.location)).toEqual([
      null,
      { city: 'HOUSTON', region: 'TX', postalCode: '77063', country: null },
    ]);
  });

  it('should refuse a bare Tracker where a webhook Event is expected', () => {
    expectInvalidResponse(
      () => normalizeEasyPostWebhook(fixture('tracker_retrieve_pre_transit.json')),
      /^EasyPost webhook: object: /,
    );
  });
});

describe('normalizeEasyPostWebhook, Waymark scenarios', () => {
  it('should keep carrier offsets exact and infer the zone of offset-less times from the scan, then the destination', () => {
    const result = found(
      normalizeEasyPostWebhook(fixture('SYNTHETIC_webhook_tracker_updated_out_for_delivery_usps_local_times.json')),
    );
    expect(result).toMatchObject({
      carrier: 'usps',
      trackingNumber: '9400111899223344556677',
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
      estimatedDelivery: '2026-11-26',
      service: 'Priority Mail',
      deliveredAt: null,
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-11-23T15:12:00.000Z',
        '2026-11-23T10:12:00-05:00',
        false,
        'info_received',
        'label_created',
        null,
        'GX',
        'pre_transit/label_created',
      ],
      [
        '2026-11-25T02:40:00.000Z',
        '2026-11-24T21:40:00-05:00',
        false,
        'in_transit',
        'arrived_at_facility',
        null,
        '10',
        'in_transit/arrived_at_facility',
      ],
      [
        '2026-11-25T03:15:00.000Z',
        '2026-11-25T03:15:00Z',
        false,
        'in_transit',
        'departed_facility',
        null,
        'EF',
        'in_transit/departed_facility',
      ],
      // Brooklyn, NY in November: America/New_York, UTC-5, inferred from the scan's state.
      [
        '2026-11-26T10:02:00.000Z',
        '2026-11-26T05:02:00',
        true,
        'in_transit',
        'at_local_delivery_depot',
        null,
        '07',
        'in_transit/received_at_destination_facility',
      ],
      // The scan has no state or country: the destination (Brooklyn, NY) gives the zone.
      [
        '2026-11-26T12:45:00.000Z',
        '2026-11-26T07:45:00',
        true,
        'out_for_delivery',
        'out_for_delivery',
        null,
        'OF',
        'out_for_delivery/out_for_delivery',
      ],
    ]);
    expect(result.events[2]?.location).toBeNull();
    expect(result.events[4]?.location).toEqual({ city: 'BROOKLYN', region: null, postalCode: '11201', country: null });
  });

  it('should turn a weather hold that EasyPost calls failure into an exception with its reason', () => {
    const result = found(
      normalizeEasyPostWebhook(fixture('SYNTHETIC_webhook_tracker_updated_failure_weather_ups.json')),
    );
    expect(result).toMatchObject({
      carrier: 'ups',
      trackingNumber: '1Z999AA10123456784',
      status: 'exception',
      substatus: 'delayed_weather',
      reason: 'weather_delay',
      estimatedDelivery: null,
      service: 'Ground',
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-12-02T05:10:00.000Z',
        '2026-12-01T23:10:00-06:00',
        false,
        'in_transit',
        'departed_facility',
        null,
        'DP',
        'in_transit/departed_facility',
      ],
      [
        '2026-12-02T13:30:00.000Z',
        '2026-12-02T06:30:00-07:00',
        false,
        'exception',
        'delayed_weather',
        'weather_delay',
        'weather_delay',
        'in_transit/weather_delay',
      ],
      [
        '2026-12-02T16:04:00.000Z',
        '2026-12-02T09:04:00-07:00',
        false,
        'exception',
        'delayed_weather',
        'weather_delay',
        'weather_delay',
        'failure/weather_delay',
      ],
    ]);
  });

  it('should keep a refused parcel’s return as return_to_sender with the refusal as reason', () => {
    const result = found(
      normalizeEasyPostWebhook(fixture('SYNTHETIC_webhook_tracker_updated_return_refused_fedex.json')),
    );
    expect(result).toMatchObject({
      carrier: 'fedex',
      trackingNumber: '794612345678',
      status: 'return_to_sender',
      substatus: 'returning',
      reason: 'consignee_refused',
      service: 'FEDEX_HOME_DELIVERY',
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-11-19T16:02:00.000Z',
        '2026-11-19T08:02:00-08:00',
        false,
        'out_for_delivery',
        'out_for_delivery',
        null,
        'OD',
        'out_for_delivery/out_for_delivery',
      ],
      [
        '2026-11-19T21:41:00.000Z',
        '2026-11-19T13:41:00-08:00',
        false,
        'exception',
        'refused',
        'consignee_refused',
        'DE',
        'failure/refused',
      ],
      [
        '2026-11-20T18:15:00.000Z',
        '2026-11-20T10:15:00-08:00',
        false,
        'return_to_sender',
        'returning',
        null,
        'RS',
        'return_to_sender/return',
      ],
    ]);
  });

  it('should map a pickup-point arrival and infer Canadian zones from the province', () => {
    const result = found(
      normalizeEasyPostWebhook(fixture('SYNTHETIC_webhook_tracker_updated_available_for_pickup_canada_post.json')),
    );
    expect(result).toMatchObject({
      carrier: 'canada_post',
      trackingNumber: '7023210039414604',
      status: 'available_for_pickup',
      substatus: 'ready_at_pickup_point',
      reason: null,
      service: 'Expedited Parcel',
    });
    expect(timeline(result.events)).toEqual([
      // Mississauga, ON: America/Toronto, UTC-5.
      [
        '2026-11-27T03:14:00.000Z',
        '2026-11-26T22:14:00',
        true,
        'in_transit',
        'arrived_at_facility',
        null,
        '0170',
        'in_transit/arrived_at_facility',
      ],
      // Vancouver, BC: America/Vancouver, UTC-8.
      [
        '2026-11-27T17:31:00.000Z',
        '2026-11-27T09:31:00',
        true,
        'available_for_pickup',
        'ready_at_pickup_point',
        null,
        '0174',
        'available_for_pickup/arrived_at_pickup_location',
      ],
    ]);
    expect(result.events[1]?.location).toEqual({
      city: 'VANCOUVER',
      region: 'BC',
      postalCode: 'V6B 3K9',
      country: 'CA',
    });
  });

  it('should report a tracker the carrier knows nothing about yet as not found yet', () => {
    expect(normalizeEasyPostWebhook(fixture('SYNTHETIC_webhook_tracker_created_unknown.json'))).toEqual([
      { kind: 'not_found_yet', trackingNumber: '420112019400111899223344556677', message: null },
    ]);
  });

  it('should map a lost parcel, report a new status_detail once and keep it raw', () => {
    const onUnmappedCode = vi.fn();
    const result = found(
      normalizeEasyPostWebhook(fixture('SYNTHETIC_webhook_tracker_updated_lost_smartpost.json'), { onUnmappedCode }),
    );
    expect(result).toMatchObject({
      carrier: 'fedex',
      status: 'failure',
      substatus: 'lost',
      reason: 'carrier_parcel_lost',
    });
    expect(timeline(result.events)).toEqual([
      [
        '2026-11-28T14:00:00.000Z',
        '2026-11-28T14:00:00Z',
        false,
        'unknown',
        'unmapped_carrier_status',
        null,
        'held_for_carrier_review',
        'in_transit/held_for_carrier_review',
      ],
      [
        '2026-12-10T19:30:00.000Z',
        '2026-12-10T19:30:00Z',
        false,
        'failure',
        'lost',
        'carrier_parcel_lost',
        'lost',
        'failure/lost',
      ],
    ]);
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('held_for_carrier_review');
  });

  it('should ignore Events that are not about a tracker', () => {
    expect(normalizeEasyPostWebhook(fixture('SYNTHETIC_webhook_batch_updated.json'))).toEqual([]);
    expect(normalizeEasyPostWebhook({ object: 'Event', description: 'refund.successful' })).toEqual([]);
  });
});

describe('normalizeEasyPostWebhook, wrong shapes', () => {
  it('should refuse a body that is not an Event', () => {
    expectInvalidResponse(() => normalizeEasyPostWebhook(null), /^EasyPost webhook: \(root\): /);
    expectInvalidResponse(() => normalizeEasyPostWebhook('not json'), /^EasyPost webhook: /);
    expectInvalidResponse(() => normalizeEasyPostWebhook({ object: 'Event' }), /description/);
  });

  it('should name the field when a tracker event’s result is not a Tracker', () => {
    const event = fixture('webhook_tracker_updated_in_transit_fedex.json') as { result: Record<string, unknown> };
    delete event.result.tracking_code;
    expectInvalidResponse(() => normalizeEasyPostWebhook(event), /^EasyPost webhook: result\.tracking_code: /);
  });

  it('should refuse a detail whose datetime is not a date', () => {
    const event = fixture('webhook_tracker_updated_in_transit_fedex.json') as {
      result: { tracking_details: { datetime: string }[] };
    };
    event.result.tracking_details[2]!.datetime = 'yesterday';
    expectInvalidResponse(
      () => normalizeEasyPostWebhook(event),
      /result\.tracking_details\.2\.datetime is not a date: "yesterday"/,
    );
  });
});

describe('easyPostCarrierCode', () => {
  it.each([
    ['UPS', 'ups'],
    ['FedEx', 'fedex'],
    ['USPS', 'usps'],
    ['DHLExpress', 'dhl'],
    ['CanadaPost', 'canada_post'],
    ['FedExSmartPost', 'fedex'],
    ['UPSMailInnovations', 'ups'],
    ['AmazonMws', 'amazon'],
    ['Asendia', 'asendia'],
    ['LSO', 'lso'],
  ])('%s → %s', (name, code) => {
    expect(easyPostCarrierCode(name)).toBe(code);
  });
});
