import { readFileSync, readdirSync } from 'node:fs';

import { describe, expect, it, vi } from 'vitest';

import { isDomainError } from '../../../core/errors.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import {
  normalizeDhlTracking,
  parseDhlTrackingBody,
  pickDhlShipment,
  readDhlProblem,
  type DhlNormalizeOptions,
} from './dhl.normalize.js';

const FIXTURES = new URL('./__fixtures__/', import.meta.url);

function load(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as unknown;
}

function foundResults(name: string, options?: DhlNormalizeOptions): TrackingResult[] {
  return normalizeDhlTracking(load(name), options).map((outcome) => {
    if (outcome.kind !== 'found') throw new Error(`${name}: expected found, got ${outcome.kind}`);
    return outcome.result;
  });
}

function onlyResult(name: string, options?: DhlNormalizeOptions): TrackingResult {
  const results = foundResults(name, options);
  expect(results).toHaveLength(1);
  return results[0]!;
}

/** [occurredAt, occurredAtLocal, timeZoneInferred, status, substatus, rawCode] per event, in DHL's order. */
function timeline(result: TrackingResult): (string | boolean | null)[][] {
  return result.events.map((event) => [
    event.occurredAt,
    event.occurredAtLocal,
    event.timeZoneInferred,
    event.status,
    event.substatus,
    event.rawCode,
  ]);
}

function expectDomainError(run: () => unknown, code: string, message?: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(isDomainError(error) && error.code).toBe(code);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected a DomainError ${code}`);
}

describe('every fixture normalises without throwing', () => {
  const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));

  it.each(names)('%s', (name) => {
    const outcomes = normalizeDhlTracking(load(name));
    expect(outcomes.length).toBeGreaterThan(0);
    for (const outcome of outcomes) {
      if (outcome.kind !== 'found') continue;
      for (const event of outcome.result.events) {
        expect(event.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        if (event.location?.country) expect(event.location.country).toMatch(/^[A-Z]{2}$/);
      }
    }
  });
});

describe('Express with checkpoint codes', () => {
  it('delivered, two pieces, offsets given, signed proof of delivery', () => {
    const result = onlyResult('express_delivered_two_pieces.json');
    expect(result).toMatchObject({
      carrier: 'dhl',
      trackingNumber: '4837261950',
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
      estimatedDelivery: null,
      deliveredAt: '2026-03-19T09:42:00.000Z',
      signedBy: 'HUBER',
      service: 'EXPRESS WORLDWIDE',
    });
    expect(timeline(result)).toEqual([
      ['2026-03-19T09:42:00.000Z', '2026-03-19T10:42:00+01:00', false, 'delivered', 'delivered', 'OK'],
      ['2026-03-19T06:55:00.000Z', '2026-03-19T07:55:00+01:00', false, 'out_for_delivery', 'out_for_delivery', 'WC'],
      ['2026-03-19T05:10:00.000Z', '2026-03-19T06:10:00+01:00', false, 'in_transit', 'at_local_delivery_depot', 'AR'],
      ['2026-03-18T22:37:00.000Z', '2026-03-18T23:37:00+01:00', false, 'in_transit', 'departed_facility', 'DF'],
      ['2026-03-18T20:05:00.000Z', '2026-03-18T21:05:00+01:00', false, 'in_transit', 'processed_at_facility', 'PL'],
      ['2026-03-18T19:14:00.000Z', '2026-03-18T20:14:00+01:00', false, 'in_transit', 'arrived_at_facility', 'AF'],
      ['2026-03-18T15:28:00.000Z', '2026-03-18T16:28:00+01:00', false, 'in_transit', 'picked_up', 'PU'],
    ]);
    expect(result.events[0]).toMatchObject({
      rawStatus: 'delivered',
      description: 'Delivered',
      location: { city: 'GRAZ', region: null, postalCode: null, country: 'AT' },
    });
    // DHL lists newest first; the sequence keeps its order for events of the same minute.
    expect(result.events.map((event) => event.sequence)).toEqual([6, 5, 4, 3, 2, 1, 0]);
  });

  it('held for duty payment: no offsets, zones inferred from the event place (US state, UK)', () => {
    const result = onlyResult('express_held_for_payment_no_offsets.json');
    expect(result).toMatchObject({
      status: 'exception',
      substatus: 'payment_due',
      reason: 'customs_duties_unpaid',
      // the end of estimatedDeliveryTimeFrame, as an instant
      estimatedDelivery: '2026-05-13T22:00:00.000Z',
      deliveredAt: null,
      service: 'EXPRESS 12:00',
    });
    expect(timeline(result)).toEqual([
      // New York, EDT (UTC−4)
      ['2026-05-12T12:31:00.000Z', '2026-05-12T08:31:00', true, 'exception', 'payment_due', 'HP'],
      ['2026-05-12T10:02:00.000Z', '2026-05-12T06:02:00', true, 'in_transit', 'customs_processing', 'IC'],
      // "CINCINNATI HUB - USA" names no state: the country's default zone (New York) is used
      ['2026-05-12T03:48:00.000Z', '2026-05-11T23:48:00', true, 'in_transit', 'arrived_at_facility', 'AF'],
      // London, BST (UTC+1)
      ['2026-05-11T13:20:00.000Z', '2026-05-11T14:20:00', true, 'in_transit', 'departed_facility', 'DF'],
      ['2026-05-11T10:05:00.000Z', '2026-05-11T11:05:00', true, 'in_transit', 'picked_up', 'PU'],
      ['2026-05-10T16:46:00.000Z', '2026-05-10T17:46:00', true, 'info_received', 'label_created', 'SD'],
    ]);
    expect(result.events[0]!.location).toEqual({ city: 'NEW YORK', region: 'NY', postalCode: null, country: 'US' });
  });

  it('failed attempt: recipient not home, EDD with offset', () => {
    const result = onlyResult('express_failed_attempt.json');
    expect(result).toMatchObject({
      status: 'attempt_failed',
      substatus: 'recipient_unavailable',
      reason: 'consignee_not_home',
      estimatedDelivery: '2026-04-22T13:59:00.000Z',
      deliveredAt: null,
      signedBy: null,
    });
    expect(result.events[0]).toMatchObject({
      occurredAt: '2026-04-21T02:49:00.000Z',
      occurredAtLocal: '2026-04-21T12:49:00+10:00',
      rawCode: 'NH',
      rawStatus: 'failure',
      description: 'Delivery attempted; recipient not home',
    });
    expect(result.events[5]!.location).toEqual({ city: 'HONG KONG', region: null, postalCode: null, country: 'HK' });
    expect(result.events[6]!.location?.country).toBe('CN');
  });

  it('customs delay, then destroyed: failure with the reason of the delay kept on its event', () => {
    const result = onlyResult('express_customs_delay_destroyed.json');
    expect(result).toMatchObject({ status: 'failure', substatus: 'destroyed_disposed', reason: null });
    expect(result.events[1]).toMatchObject({
      status: 'exception',
      substatus: 'customs_hold',
      reason: 'customs_delay',
      rawCode: 'UD',
      location: { country: 'ZA' },
    });
  });
});

describe('Express, older answers without codes', () => {
  it('maps the descriptions, infers Manila and Tokyo time, reads the signatory from the text', () => {
    const result = onlyResult('express_text_only_no_offsets.json');
    expect(result).toMatchObject({
      status: 'delivered',
      substatus: 'signed_for',
      deliveredAt: '2026-02-06T06:17:00.000Z',
      signedBy: 'R DELA CRUZ',
      service: null,
    });
    expect(timeline(result)).toEqual([
      ['2026-02-06T06:17:00.000Z', '2026-02-06T14:17:00', true, 'delivered', 'signed_for', null],
      ['2026-02-06T01:03:00.000Z', '2026-02-06T09:03:00', true, 'out_for_delivery', 'out_for_delivery', null],
      ['2026-02-05T23:41:00.000Z', '2026-02-06T07:41:00', true, 'in_transit', 'at_local_delivery_depot', null],
      ['2026-02-05T14:10:00.000Z', '2026-02-05T22:10:00', true, 'in_transit', 'customs_cleared', null],
      ['2026-02-05T12:02:00.000Z', '2026-02-05T20:02:00', true, 'in_transit', 'info_update', null],
      ['2026-02-05T05:55:00.000Z', '2026-02-05T13:55:00', true, 'in_transit', 'customs_processing', null],
      ['2026-02-05T03:26:00.000Z', '2026-02-05T11:26:00', true, 'in_transit', 'customs_processing', null],
      ['2026-02-04T10:40:00.000Z', '2026-02-04T19:40:00', true, 'in_transit', 'departed_facility', null],
      ['2026-02-04T07:12:00.000Z', '2026-02-04T16:12:00', true, 'in_transit', 'picked_up', null],
    ]);
    expect(result.events.every((event) => event.rawStatus === null)).toBe(true);
    expect(result.events[0]!.location).toEqual({ city: 'CEBU', region: null, postalCode: null, country: 'PH' });
  });
});

describe('parcel-de (prose in status and description)', () => {
  it('delivered to a neighbour; city-only places take the destination zone (Berlin, CET)', () => {
    const result = onlyResult('parcel_de_delivered_to_neighbour.json');
    expect(result).toMatchObject({
      trackingNumber: '00340434188200000017',
      status: 'delivered',
      substatus: 'delivered_to_alternate_recipient',
      deliveredAt: '2026-03-13T10:26:00.000Z',
      signedBy: null,
      service: 'DHL PAKET',
    });
    expect(
      timeline(result).map(([at, local, inferred, status, substatus]) => [at, local, inferred, status, substatus]),
    ).toEqual([
      ['2026-03-13T10:26:00.000Z', '2026-03-13T11:26:00', true, 'delivered', 'delivered_to_alternate_recipient'],
      ['2026-03-13T07:36:00.000Z', '2026-03-13T08:36:00', true, 'out_for_delivery', 'out_for_delivery'],
      ['2026-03-12T03:51:00.000Z', '2026-03-12T04:51:00', true, 'in_transit', 'processed_at_facility'],
      ['2026-03-11T20:14:00.000Z', '2026-03-11T21:14:00', true, 'in_transit', 'processed_at_facility'],
      ['2026-03-11T16:02:00.000Z', '2026-03-11T17:02:00', true, 'in_transit', 'picked_up'],
      ['2026-03-10T15:18:00.000Z', '2026-03-10T16:18:00', true, 'info_received', 'label_created'],
    ]);
    expect(result.events[0]).toMatchObject({
      rawCode: "The shipment has been delivered to the recipient's neighbour",
      rawStatus: 'delivered',
      location: { city: 'Leipzig', region: null, postalCode: null, country: null },
    });
    // "Deutschland" in addressLocality is the country, not a city
    expect(result.events[5]!.location).toEqual({ city: null, region: null, postalCode: null, country: 'DE' });
    expect(result.events[1]!.location).toBeNull();
  });

  it('failed attempt, forwarded, waiting in a PACKSTATION (CEST)', () => {
    const result = onlyResult('parcel_de_packstation_pickup.json');
    expect(result).toMatchObject({ status: 'available_for_pickup', substatus: 'in_parcel_locker', deliveredAt: null });
    expect(result.events.map((event) => [event.occurredAt, event.status, event.substatus, event.reason])).toEqual([
      ['2026-04-08T11:10:00.000Z', 'available_for_pickup', 'in_parcel_locker', null],
      ['2026-04-08T08:45:00.000Z', 'in_transit', 'forwarded', null],
      ['2026-04-08T07:58:00.000Z', 'attempt_failed', 'notice_left', null],
      ['2026-04-08T05:20:00.000Z', 'out_for_delivery', 'out_for_delivery', null],
      ['2026-04-07T20:03:00.000Z', 'in_transit', 'processed_at_facility', null],
      ['2026-04-07T07:12:00.000Z', 'in_transit', 'picked_up', null],
      ['2026-04-06T16:40:00.000Z', 'info_received', 'label_created', null],
    ]);
  });

  it('refused, then returned: DHL says "delivered" for the return, the headline says returned', () => {
    const result = onlyResult('parcel_de_refused_returned.json');
    expect(result).toMatchObject({ status: 'return_to_sender', substatus: 'returned', deliveredAt: null });
    expect(result.events.map((event) => [event.status, event.substatus, event.reason, event.rawStatus])).toEqual([
      ['return_to_sender', 'returned', null, 'delivered'],
      ['return_to_sender', 'returning', null, 'transit'],
      ['attempt_failed', 'refused', 'consignee_refused', 'failure'],
      ['out_for_delivery', 'out_for_delivery', null, 'transit'],
      ['info_received', 'label_created', null, 'pre-transit'],
    ]);
  });
});

describe('eCommerce', () => {
  it('Americas: handed to the last-mile partner; a midnight EDD is DHL writing a date', () => {
    const result = onlyResult('ecommerce_handed_to_partner.json');
    expect(result).toMatchObject({
      status: 'in_transit',
      substatus: 'transferred_to_partner_carrier',
      estimatedDelivery: '2026-06-05',
      service: 'DHL Parcel Expedited',
    });
    expect(result.events.map((event) => [event.occurredAt, event.substatus])).toEqual([
      ['2026-06-04T03:14:00.000Z', 'transferred_to_partner_carrier'],
      ['2026-06-03T11:40:00.000Z', 'arrived_at_facility'],
      ['2026-06-02T07:18:00.000Z', 'departed_facility'],
      ['2026-06-02T04:47:00.000Z', 'processed_at_facility'],
      ['2026-06-02T00:05:00.000Z', 'picked_up'],
      ['2026-06-01T15:12:00.000Z', 'label_created'],
    ]);
    expect(result.events[0]!.location).toEqual({ city: 'Denver', region: 'CO', postalCode: '80216', country: 'US' });
  });

  it('parcel-nl: out for delivery with a delivery window', () => {
    const result = onlyResult('parcel_nl_out_for_delivery.json');
    expect(result).toMatchObject({
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
      estimatedDelivery: '2026-05-20T14:30:00.000Z',
      service: 'DHL Parcel Connect',
    });
    expect(result.events.map((event) => event.substatus)).toEqual([
      'out_for_delivery',
      'at_local_delivery_depot',
      'processed_at_facility',
      'label_created',
    ]);
  });
});

describe('other shapes', () => {
  it('freight with only a status block: the block becomes the one event (Gothenburg, CEST)', () => {
    const result = onlyResult('freight_status_only.json');
    expect(result).toMatchObject({ status: 'in_transit', substatus: 'in_transit', service: 'DHL Freight Euroconnect' });
    expect(result.events).toEqual<NormalizedEvent[]>([
      {
        occurredAt: '2026-08-14T14:45:00.000Z',
        occurredAtLocal: '2026-08-14T16:45:00',
        timeZoneInferred: true,
        sequence: 0,
        status: 'in_transit',
        substatus: 'in_transit',
        reason: null,
        description: 'Shipment arrived at terminal',
        location: { city: 'Göteborg', region: null, postalCode: null, country: 'SE' },
        rawCode: 'Shipment arrived at terminal',
        rawStatus: 'transit',
      },
    ]);
  });

  it('two businesses answering for one number: one outcome each', () => {
    const [express, parcel] = foundResults('two_shipments_same_number.json');
    expect(express).toMatchObject({ trackingNumber: '6632190458', status: 'delivered', service: 'EXPRESS WORLDWIDE' });
    expect(express!.events[0]!.location?.country).toBe('FR');
    expect(parcel).toMatchObject({
      trackingNumber: '6632190458',
      status: 'info_received',
      substatus: 'label_created',
      service: 'DHL PAKET',
    });
  });

  it("DHL's spec example (inconsistent placeholders): the text layer wins, as the most specific", () => {
    // statusCode says pre-transit while status says DELIVERED; by our rule the finer layer decides.
    const result = onlyResult('spec_example_express.json');
    expect(result).toMatchObject({
      trackingNumber: '7777777770',
      status: 'delivered',
      substatus: 'delivered',
      // "2018-08-03T00:00:00Z" with remark "By End of Day": a date
      estimatedDelivery: '2018-08-03',
      signedBy: 'John',
      service: 'UNKNOWN - Product unknown',
    });
    expect(result.events[0]).toMatchObject({
      occurredAt: '2018-03-02T06:53:47.000Z',
      occurredAtLocal: '2018-03-02T07:53:47',
      timeZoneInferred: true,
      rawCode: 'DELIVERED',
      rawStatus: 'pre-transit',
      description: 'JESSICA',
      location: { city: 'Oderweg 2, AMSTERDAM', region: null, postalCode: '1043 AG', country: 'NL' },
    });
  });
});

describe('unmapped codes', () => {
  it('are reported once per distinct value, and the events stay unknown or fall back to statusCode', () => {
    const onUnmappedCode = vi.fn();
    const result = onlyResult('express_unmapped_codes.json', { onUnmappedCode });
    expect(onUnmappedCode.mock.calls).toEqual([['ZQ'], ['on-hold']]);
    expect(result.events.map((event) => [event.rawCode, event.rawStatus, event.status, event.substatus])).toEqual([
      ['ZQ', 'transit', 'in_transit', 'in_transit'],
      ['CS', 'unknown', 'unknown', 'unmapped_carrier_status'],
      [null, 'on-hold', 'unknown', 'unmapped_carrier_status'],
    ]);
    expect(result.status).toBe('in_transit');
  });
});

describe('problem bodies and empty answers', () => {
  it('404 problem → not found yet, number from `instance`', () => {
    expect(normalizeDhlTracking(load('not_found_404.json'))).toEqual<TrackingOutcome[]>([
      { kind: 'not_found_yet', trackingNumber: '8264715546', message: 'No shipment with given tracking number found.' },
    ]);
  });

  it('400 problem → invalid number; the number comes from the caller when `instance` does not name one', () => {
    expect(normalizeDhlTracking(load('invalid_number_400.json'), { trackingNumber: 'ABC' })).toEqual([
      {
        kind: 'invalid_number',
        trackingNumber: 'ABC',
        message: 'The tracking number is not valid for any DHL service.',
      },
    ]);
    expect(normalizeDhlTracking(load('invalid_number_400.json'))[0]).toMatchObject({ trackingNumber: '' });
  });

  it('401 and 429 problems are call failures', () => {
    expectDomainError(() => normalizeDhlTracking({ status: 401, title: 'Unauthorized' }), 'upstream_auth_failed');
    expectDomainError(() => normalizeDhlTracking({ status: 429, title: 'Too many requests' }), 'upstream_rate_limited');
    expectDomainError(() => normalizeDhlTracking({ status: 500, title: 'Oops' }), 'upstream_invalid_response');
  });

  it('an empty shipments list is nothing, or not found when the number is known', () => {
    expect(normalizeDhlTracking({ shipments: [] })).toEqual([]);
    expect(normalizeDhlTracking({ shipments: [] }, { trackingNumber: '1234567890' })).toEqual([
      { kind: 'not_found_yet', trackingNumber: '1234567890', message: 'DHL answered with no shipment' },
    ]);
  });

  it('readDhlProblem tells a problem from a tracking body', () => {
    expect(readDhlProblem(load('not_found_404.json'))).toMatchObject({ status: 404, title: 'No result found' });
    expect(readDhlProblem({ shipments: [], status: 200 })).toBeNull();
    expect(readDhlProblem('nope')).toBeNull();
    expect(readDhlProblem({ title: 'no status' })).toBeNull();
  });

  it('a shipment without status block or events is registered, nothing more', () => {
    const [outcome] = normalizeDhlTracking({ shipments: [{ id: 'JJD000390007827461938' }] });
    expect(outcome).toMatchObject({
      kind: 'found',
      result: { status: 'pending', substatus: 'registered', events: [] },
    });
  });
});

describe('wrong shapes are upstream_invalid_response with one clear line', () => {
  it.each<[string, unknown, RegExp]>([
    ['not an object', 'hello', /not a tracking response \(body:/],
    ['no shipments', { foo: 1 }, /shipments/],
    ['shipments not a list', { shipments: {} }, /shipments/],
    ['a shipment without id', { shipments: [{ service: 'express' }] }, /shipments\.0\.id/],
    [
      'an event without timestamp',
      { shipments: [{ id: '1', events: [{ statusCode: 'transit' }] }] },
      /events\.0\.timestamp/,
    ],
  ])('%s', (_label, body, message) => {
    expectDomainError(() => normalizeDhlTracking(body), 'upstream_invalid_response', message);
    expect(() => parseDhlTrackingBody(body)).toThrow();
  });

  it('an event time that is not a date and time', () => {
    expectDomainError(
      () =>
        normalizeDhlTracking({ shipments: [{ id: '1', events: [{ timestamp: 'yesterday', statusCode: 'transit' }] }] }),
      'upstream_invalid_response',
      /timestamp "yesterday"/,
    );
  });

  it('tolerates nulls where DHL leaves fields empty', () => {
    const body = {
      shipments: [
        {
          id: '1',
          service: null,
          origin: null,
          destination: { address: null },
          status: { timestamp: '2026-01-05T10:00:00Z', statusCode: 'transit', status: null, description: null },
          details: { product: null, proofOfDelivery: null },
          events: null,
        },
      ],
    };
    expect(normalizeDhlTracking(body)[0]).toMatchObject({ kind: 'found', result: { status: 'in_transit' } });
  });
});

describe('purity', () => {
  it('the same body gives the same outcomes and is not modified', () => {
    const body = load('express_held_for_payment_no_offsets.json');
    const copy = structuredClone(body);
    expect(normalizeDhlTracking(body)).toEqual(normalizeDhlTracking(body));
    expect(body).toEqual(copy);
  });
});

describe('headline', () => {
  const base = { id: '1', service: 'express' };

  it('an event newer than the status block wins', () => {
    const [outcome] = normalizeDhlTracking({
      shipments: [
        {
          ...base,
          status: { timestamp: '2026-01-05T10:00:00Z', statusCode: 'transit', status: '102' },
          events: [{ timestamp: '2026-01-05T12:00:00Z', statusCode: 'transit', status: 'WC' }],
        },
      ],
    });
    expect(outcome).toMatchObject({ result: { status: 'out_for_delivery' } });
  });

  it('at the same instant the finer mapping wins; a coarser event does not override the block', () => {
    const [finer] = normalizeDhlTracking({
      shipments: [
        {
          ...base,
          status: { timestamp: '2026-01-05T10:00:00Z', statusCode: 'failure', status: '103', description: 'Whatever' },
          events: [{ timestamp: '2026-01-05T10:00:00Z', statusCode: 'failure', status: 'CA' }],
        },
      ],
    });
    expect(finer).toMatchObject({ result: { status: 'attempt_failed', substatus: 'business_closed' } });
    const [coarser] = normalizeDhlTracking({
      shipments: [
        {
          ...base,
          status: { timestamp: '2026-01-05T10:00:00Z', statusCode: 'transit', description: 'Shipment is on hold' },
          events: [{ timestamp: '2026-01-05T10:00:00Z', statusCode: 'transit', description: 'New wording' }],
        },
      ],
    });
    expect(coarser).toMatchObject({ result: { status: 'exception', substatus: 'held_by_carrier' } });
  });

  it('events listed oldest first get their sequence in that order', () => {
    const [outcome] = normalizeDhlTracking({
      shipments: [
        {
          ...base,
          events: [
            { timestamp: '2026-01-05T08:00:00Z', status: 'PU' },
            { timestamp: '2026-01-05T09:00:00Z', status: 'PL' },
          ],
        },
      ],
    });
    expect(outcome?.kind === 'found' && outcome.result.events.map((event) => event.sequence)).toEqual([0, 1]);
    expect(outcome).toMatchObject({ result: { status: 'in_transit', substatus: 'processed_at_facility' } });
  });
});

describe('pickDhlShipment', () => {
  const body = parseDhlTrackingBody(load('two_shipments_same_number.json'));

  it('without a service: the most recent status', () => {
    expect(pickDhlShipment(body.shipments, '6632190458')?.service).toBe('parcel-de');
  });

  it('with a service: that service', () => {
    expect(pickDhlShipment(body.shipments, '6632190458', 'express')?.service).toBe('express');
  });

  it('a hinted service that did not answer is ignored', () => {
    expect(pickDhlShipment(body.shipments, '6632190458', 'freight')?.service).toBe('parcel-de');
  });

  it('a piece ID finds its shipment; spaces and case do not matter', () => {
    const withPieces = parseDhlTrackingBody(load('express_delivered_two_pieces.json')).shipments[0]!;
    // a more recent shipment that does not hold the piece must not be chosen
    const other = parseDhlTrackingBody({
      shipments: [{ id: '1111111111', status: { timestamp: '2027-01-01T00:00:00Z', statusCode: 'transit' } }],
    }).shipments[0]!;
    expect(pickDhlShipment([other, withPieces], 'jd0146 0000 3827 461902')?.id).toBe('4837261950');
    expect(pickDhlShipment([other, withPieces], '4837261950')?.id).toBe('4837261950');
  });

  it('nothing to pick from', () => {
    expect(pickDhlShipment([], '1')).toBeUndefined();
  });
});
