import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

import { DomainError } from '../../../core/errors.js';
import type { TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import {
  normalizeUspsAnswer,
  normalizeUspsResponse,
  uspsCountryToIso2,
  type UspsNormalizeContext,
} from './usps.normalize.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
}

function outcomesOf(name: string, context?: UspsNormalizeContext): TrackingOutcome[] {
  return normalizeUspsResponse(fixture(name), context);
}

function foundResult(outcome: TrackingOutcome | undefined): TrackingResult {
  if (outcome?.kind !== 'found') throw new Error(`expected a found outcome, got ${JSON.stringify(outcome)}`);
  return outcome.result;
}

function found(name: string, context?: UspsNormalizeContext): TrackingResult {
  const outcomes = outcomesOf(name, context);
  expect(outcomes).toHaveLength(1);
  return foundResult(outcomes[0]);
}

function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

/** A minimal DETAIL answer with the given events (newest first). */
function answer(events: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    trackingNumber: '9400100000000000000024',
    destinationCity: 'CHICAGO',
    destinationState: 'IL',
    destinationZIP: '60601',
    mailClass: 'Priority Mail',
    statusCategory: 'Moving Through Network',
    trackingEvents: events,
    ...extra,
  };
}

describe('normalizeUspsResponse — recorded answers', () => {
  it('delivered_mailbox.json: delivered in the mailbox after a shipping-partner leg', () => {
    const result = found('delivered_mailbox.json');
    expect(result).toMatchObject({
      carrier: 'usps',
      trackingNumber: '9261290289104185136058',
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
      estimatedDelivery: null,
      deliveredAt: '2024-11-23T19:10:09.000Z',
      signedBy: null,
      service: 'Parcel Select',
    });
    expect(result.events.map((event) => event.rawCode)).toEqual([
      '01',
      'OF',
      '07',
      'A1',
      'T1',
      'A1',
      'T1',
      'A1',
      'AD',
      'A1',
      '82',
      '81',
      '80',
      '81',
      'GX',
    ]);
    expect(result.events[0]).toEqual({
      occurredAt: '2024-11-23T19:10:09.000Z',
      occurredAtLocal: '2024-11-23T13:10:00',
      timeZoneInferred: false,
      sequence: 14,
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
      description: 'Delivered, In/At Mailbox',
      location: { city: 'MILWAUKEE', region: 'WI', postalCode: '53207', country: 'US' },
      rawCode: '01',
      rawStatus: 'Delivered, In/At Mailbox',
    });
  });

  it('delivered_mailbox.json: moves a GMT time stamped with the local date onto the right day', () => {
    // Local 23:28 at -06:00 is 05:28Z the NEXT day; USPS sent "2024-11-21T05:28:33Z".
    const partnerArrival = found('delivered_mailbox.json').events[11];
    expect(partnerArrival).toMatchObject({
      rawCode: '81',
      occurredAt: '2024-11-22T05:28:33.000Z',
      occurredAtLocal: '2024-11-21T23:28:00',
      timeZoneInferred: false,
    });
  });

  it('delivered_mailbox.json: infers the zone of pre-induction events (no GMT, no place) from the destination', () => {
    const events = found('delivered_mailbox.json').events;
    // Milwaukee, WI → America/Chicago, CST in November.
    expect(events[12]).toMatchObject({
      rawCode: '80',
      occurredAt: '2024-11-21T23:01:00.000Z',
      occurredAtLocal: '2024-11-21T17:01:00',
      timeZoneInferred: true,
      location: null,
      status: 'in_transit',
      substatus: 'picked_up',
    });
    expect(events[14]).toMatchObject({
      rawCode: 'GX',
      occurredAt: '2024-11-19T15:27:00.000Z',
      timeZoneInferred: true,
      status: 'info_received',
      substatus: 'label_created',
    });
  });

  it('delivered_mailbox.json: keeps a plant name as the city, in the US, with no invented state', () => {
    expect(found('delivered_mailbox.json').events[6]).toMatchObject({
      rawCode: 'T1',
      location: { city: 'OAK CREEK WI DISTRIBUTION CENTER', region: null, postalCode: null, country: 'US' },
      description: 'Departed USPS Regional Facility',
    });
  });

  it('delivered_parcel_locker.json: a parcel locker is delivered to an alternative location', () => {
    const result = found('delivered_parcel_locker.json');
    expect(result).toMatchObject({
      trackingNumber: '9400109104250532908587',
      status: 'delivered',
      substatus: 'delivered_alternative_location',
      deliveredAt: '2024-11-22T18:58:40.000Z',
      service: 'USPS Ground Advantage',
    });
    expect(result.events.map((event) => [event.rawCode, event.status, event.substatus])).toEqual([
      ['01', 'delivered', 'delivered_alternative_location'],
      ['OF', 'out_for_delivery', 'out_for_delivery'],
      ['07', 'in_transit', 'at_local_delivery_depot'],
      ['A1', 'in_transit', 'arrived_at_facility'],
      ['TL', 'in_transit', 'in_transit'],
      ['TL', 'in_transit', 'in_transit'],
      ['TL', 'in_transit', 'in_transit'],
      ['T1', 'in_transit', 'departed_facility'],
      ['10', 'in_transit', 'arrived_at_facility'],
      ['SF', 'in_transit', 'departed_facility'],
      ['03', 'in_transit', 'picked_up'],
      ['GX', 'info_received', 'label_created'],
    ]);
    // "In Transit to Next Facility" has no place at all, but its GMT time is exact.
    expect(result.events[4]).toMatchObject({
      location: null,
      occurredAt: '2024-11-20T06:11:52.000Z',
      occurredAtLocal: '2024-11-20T01:11:00',
      timeZoneInferred: false,
    });
  });

  it('in_transit.json: in transit, EDD as a date, GMT date quirk on the evening scans', () => {
    const result = found('in_transit.json');
    expect(result).toMatchObject({
      trackingNumber: '9202290317456200135409',
      status: 'in_transit',
      substatus: 'arrived_at_facility',
      estimatedDelivery: '2024-11-29',
      deliveredAt: null,
      service: 'USPS Ground Advantage',
    });
    expect(
      result.events.map((event) => [event.rawCode, event.occurredAt, event.occurredAtLocal, event.timeZoneInferred]),
    ).toEqual([
      ['10', '2024-11-26T07:44:28.000Z', '2024-11-26T01:44:00', false],
      ['SF', '2024-11-26T00:31:21.000Z', '2024-11-25T18:31:00', false],
      ['03', '2024-11-26T00:26:14.000Z', '2024-11-25T18:26:00', false],
      ['MA', '2024-11-23T06:00:00.000Z', '2024-11-23T00:00:00', true],
    ]);
  });

  it('not_yet_available_400.json: not found yet, with USPS message cleaned of its legacy number and markup', () => {
    expect(outcomesOf('not_yet_available_400.json', { trackingNumber: '9400111206213859420650' })).toEqual([
      {
        kind: 'not_found_yet',
        trackingNumber: '9400111206213859420650',
        message:
          'A status update is not yet available on your package. It will be available when the shipper provides an update or the package is given to USPS. Check back soon. Sign up for Informed Delivery to receive notifications for packages addressed to you.',
      },
    ]);
  });
});

describe('normalizeUspsResponse — our fixtures', () => {
  it('SYNTHETIC_alert_delivery_attempted.json: notice left because nobody could sign', () => {
    const result = found('SYNTHETIC_alert_delivery_attempted.json');
    expect(result).toMatchObject({
      status: 'attempt_failed',
      substatus: 'recipient_unavailable',
      reason: 'consignee_not_home',
      deliveredAt: null,
    });
    expect(result.events[0]).toMatchObject({ rawCode: '02', occurredAt: '2026-03-03T17:02:10.000Z' });
  });

  it('label_created_no_offsets.json: label only, time inferred from the destination (Portland, PST)', () => {
    const result = found('label_created_no_offsets.json');
    expect(result).toMatchObject({
      status: 'info_received',
      substatus: 'label_created',
      estimatedDelivery: '2026-03-06',
      service: 'USPS Ground Advantage',
    });
    expect(result.events).toEqual([
      {
        occurredAt: '2026-03-02T22:05:00.000Z',
        occurredAtLocal: '2026-03-02T14:05:00',
        timeZoneInferred: true,
        sequence: 0,
        status: 'info_received',
        substatus: 'label_created',
        reason: null,
        description: 'Shipping Label Created, USPS Awaiting Item',
        location: null,
        rawCode: 'GX',
        rawStatus: 'Shipping Label Created, USPS Awaiting Item',
      },
    ]);
  });

  it('out_for_delivery.json: out for delivery; a plant scan with the GMT date quirk lands on the right day', () => {
    const result = found('out_for_delivery.json');
    expect(result).toMatchObject({
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
      estimatedDelivery: '2026-03-04',
      service: 'Priority Mail',
    });
    expect(result.events.map((event) => [event.rawCode, event.occurredAt, event.timeZoneInferred])).toEqual([
      ['OF', '2026-03-04T13:55:31.000Z', false],
      ['07', '2026-03-04T12:12:05.000Z', false],
      ['A1', '2026-03-04T03:40:12.000Z', false],
      ['03', '2026-03-02T22:20:44.000Z', false],
      ['GX', '2026-03-02T15:03:00.000Z', true],
    ]);
  });

  it('available_for_pickup.json: held at the Post Office after a failed attempt', () => {
    const result = found('available_for_pickup.json');
    expect(result).toMatchObject({ status: 'available_for_pickup', substatus: 'ready_at_post_office', reason: null });
    expect(result.events[1]).toMatchObject({
      rawCode: '56',
      status: 'attempt_failed',
      substatus: 'recipient_unavailable',
      reason: 'consignee_not_home',
    });
  });

  it('picked_up_at_post_office.json: collected, with when and by whom', () => {
    expect(found('picked_up_at_post_office.json')).toMatchObject({
      status: 'delivered',
      substatus: 'collected_from_pickup_point',
      deliveredAt: '2026-03-09T21:47:09.000Z',
      signedBy: 'K OKAFOR',
    });
  });

  it('exception_missent.json: missent is a carrier sorting error', () => {
    const result = found('exception_missent.json');
    expect(result).toMatchObject({
      status: 'exception',
      substatus: 'delayed_carrier_processing',
      reason: 'carrier_sorting_error',
      estimatedDelivery: '2026-03-06',
      service: 'Parcel Select',
    });
    expect(result.events[1]).toMatchObject({ rawCode: 'T1', occurredAt: '2026-03-04T01:48:10.000Z' });
  });

  it('return_to_sender_moved.json: returning because the addressee moved; offsets either side of the DST change', () => {
    const result = found('return_to_sender_moved.json');
    expect(result).toMatchObject({
      status: 'return_to_sender',
      substatus: 'returning',
      reason: 'consignee_incorrect_address',
    });
    expect(result.events.map((event) => [event.rawCode, event.occurredAt])).toEqual([
      ['23', '2026-03-09T15:45:18.000Z'],
      ['52', '2026-03-07T17:10:30.000Z'],
      ['OF', '2026-03-07T12:58:04.000Z'],
    ]);
  });

  it('returned_to_original_sender.json: "Delivered, To Original Sender" is a completed return, not a delivery', () => {
    expect(found('returned_to_original_sender.json')).toMatchObject({
      status: 'return_to_sender',
      substatus: 'returned',
      deliveredAt: null,
      signedBy: null,
    });
  });

  it('delivered_left_with_individual_signed.json: signed for by name; markup stripped from the service', () => {
    expect(found('delivered_left_with_individual_signed.json')).toMatchObject({
      trackingNumber: 'EA123456785US',
      status: 'delivered',
      substatus: 'delivered',
      deliveredAt: '2026-03-03T18:42:16.000Z',
      signedBy: 'M RIVERA',
      service: 'Priority Mail Express 1-Day',
    });
  });

  it('missing_offsets_unknown_codes.json: every zone inferred, unknown codes reported, headline from the category', () => {
    const onUnmappedCode = vi.fn();
    const result = found('missing_offsets_unknown_codes.json', { onUnmappedCode });
    // Latest event (Q7) maps to nothing, so the headline comes from statusCategory.
    expect(result).toMatchObject({ status: 'in_transit', substatus: 'in_transit', reason: null });
    expect(onUnmappedCode.mock.calls).toEqual([['Q7'], ['ZZ']]);
    expect(
      result.events.map((event) => [
        event.rawCode,
        event.occurredAt,
        event.occurredAtLocal,
        event.timeZoneInferred,
        event.status,
      ]),
    ).toEqual([
      // Brooklyn, NY: EDT (after 8 March).
      ['Q7', '2026-03-10T13:15:00.000Z', '2026-03-10T09:15:00', true, 'unknown'],
      // State only in the plant name (NJ); the trailing Z on a USPS local time is not believed.
      ['ZZ', '2026-03-10T02:05:00.000Z', '2026-03-09T22:05:00Z', true, 'in_transit'],
      // Denver plant: MDT.
      ['T1', '2026-03-09T09:30:00.000Z', '2026-03-09T03:30:00', true, 'in_transit'],
      // Los Angeles, CA: PST (before 8 March).
      ['03', '2026-03-07T00:00:00.000Z', '2026-03-06T16:00:00', true, 'in_transit'],
      // No place: the destination (Brooklyn, EST on 5 March).
      ['GX', '2026-03-05T16:00:00.000Z', '2026-03-05T11:00:00', true, 'info_received'],
    ]);
    expect(result.events[0]).toMatchObject({
      substatus: 'unmapped_carrier_status',
      rawStatus: 'Held for Inspection Review',
    });
  });

  it('not_found_may_be_incorrect_150002_400.json: "may be incorrect or not yet available" keeps polling', () => {
    expect(
      outcomesOf('not_found_may_be_incorrect_150002_400.json', { trackingNumber: '9400100000000000000031' }),
    ).toEqual([
      {
        kind: 'not_found_yet',
        trackingNumber: '9400100000000000000031',
        message:
          'The tracking number may be incorrect or the status update is not yet available. Please verify your tracking number and try again later.',
      },
    ]);
  });

  it('invalid_pickup_confirmation_150011_400.json: a pickup confirmation can never be tracked', () => {
    expect(outcomesOf('invalid_pickup_confirmation_150011_400.json', { trackingNumber: 'WTC123456789' })).toEqual([
      {
        kind: 'invalid_number',
        trackingNumber: 'WTC123456789',
        message:
          'This number is a Package Pickup confirmation number, not a tracking number. Use the tracking number printed on the label.',
      },
    ]);
  });

  it('multi_answer.json: one outcome per answer in the file', () => {
    const [delivered, notYet] = outcomesOf('multi_answer.json');
    expect(foundResult(delivered)).toMatchObject({
      trackingNumber: '9400111206213859420629',
      status: 'delivered',
      substatus: 'delivered_safe_place',
      deliveredAt: '2026-03-05T20:12:45.000Z',
    });
    expect(notYet).toEqual({
      kind: 'not_found_yet',
      trackingNumber: '9400111206213859420636',
      message: 'A status update is not yet available on your package. Check back soon.',
    });
  });
});

describe('normalizeUspsAnswer — times', () => {
  it('uses local time plus offset when the GMT time disagrees by more than whole days', () => {
    const result = foundResult(
      normalizeUspsAnswer(
        answer([
          {
            eventCode: '10',
            eventType: 'Arrived at USPS Regional Facility',
            eventTimestamp: '2026-03-03T08:00:00',
            GMTTimestamp: '2026-03-03T20:00:00Z',
            GMTOffset: '-06:00',
            eventCity: 'CHICAGO',
            eventState: 'IL',
          },
        ]),
      ),
    );
    expect(result.events[0]).toMatchObject({ occurredAt: '2026-03-03T14:00:00.000Z', timeZoneInferred: false });
  });

  it("reads the spec's unpadded offset (-7:00) as exact", () => {
    const result = foundResult(
      normalizeUspsAnswer(
        answer([{ eventCode: 'OF', eventTimestamp: '2026-03-03T07:00:00', GMTOffset: '-7:00', eventState: 'AZ' }]),
      ),
    );
    expect(result.events[0]).toMatchObject({ occurredAt: '2026-03-03T14:00:00.000Z', timeZoneInferred: false });
  });

  it('takes a GMT time alone as exact, with no local time to show', () => {
    const result = foundResult(
      normalizeUspsAnswer(answer([{ eventCode: 'OF', GMTTimestamp: '2026-03-03T14:03:12.041Z' }])),
    );
    expect(result.events[0]).toMatchObject({
      occurredAt: '2026-03-03T14:03:12.041Z',
      occurredAtLocal: null,
      timeZoneInferred: false,
    });
  });

  it('takes a local time with an explicit numeric offset as exact', () => {
    const result = foundResult(
      normalizeUspsAnswer(answer([{ eventCode: 'OF', eventTimestamp: '2026-03-03T07:00:00-05:00' }])),
    );
    expect(result.events[0]).toMatchObject({ occurredAt: '2026-03-03T12:00:00.000Z', timeZoneInferred: false });
  });

  it('infers the zone of an event abroad from its country', () => {
    const result = foundResult(
      normalizeUspsAnswer(
        answer([
          {
            eventCode: 'ZZ',
            eventType: 'Customs Clearance',
            eventTimestamp: '2026-03-03T10:00:00',
            eventCity: 'LONDON',
            eventCountry: 'UNITED KINGDOM',
          },
        ]),
      ),
    );
    expect(result.events[0]).toMatchObject({
      occurredAt: '2026-03-03T10:00:00.000Z',
      timeZoneInferred: true,
      location: { city: 'LONDON', region: null, postalCode: null, country: 'GB' },
      status: 'in_transit',
      substatus: 'customs_processing',
    });
  });

  it('throws upstream_invalid_response for an event with no usable time', () => {
    const error = rejection(() => normalizeUspsAnswer(answer([{ eventCode: 'OF', eventTimestamp: 'yesterday' }])));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toBe(
      'USPS event 1 of 9400100000000000000024 has no usable time (eventTimestamp "yesterday")',
    );
  });

  it('recovers the true instant from any offset, with or without the GMT date quirk', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: -40, max: 48 }).map((quarters) => quarters * 15),
        fc.boolean(),
        (instantMs, offsetMinutes, stampWithLocalDate) => {
          const instant = new Date(Math.floor(instantMs / 1000) * 1000);
          const wall = new Date(instant.getTime() + offsetMinutes * 60_000);
          const local = wall.toISOString().slice(0, 16) + ':00';
          const gmt = instant.toISOString().replace('.000Z', 'Z');
          const sentGmt = stampWithLocalDate ? `${local.slice(0, 10)}${gmt.slice(10)}` : gmt;
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const result = foundResult(
            normalizeUspsAnswer(
              answer([{ eventCode: 'OF', eventTimestamp: local, GMTTimestamp: sentGmt, GMTOffset: offset }]),
            ),
          );
          expect(result.events[0]?.occurredAt).toBe(instant.toISOString());
        },
      ),
    );
  });
});

describe('normalizeUspsAnswer — headline and fields', () => {
  it('takes the headline from the newest event by instant, not by list position', () => {
    const result = foundResult(
      normalizeUspsAnswer(
        answer([
          {
            eventCode: 'OF',
            eventTimestamp: '2026-03-03T07:00:00',
            GMTTimestamp: '2026-03-03T13:00:00Z',
            GMTOffset: '-06:00',
          },
          {
            eventCode: '01',
            eventTimestamp: '2026-03-03T11:00:00',
            GMTTimestamp: '2026-03-03T17:00:00Z',
            GMTOffset: '-06:00',
          },
        ]),
      ),
    );
    expect(result).toMatchObject({ status: 'delivered', deliveredAt: '2026-03-03T17:00:00.000Z' });
  });

  it('keeps an unknown headline unknown when the category does not help either', () => {
    const onUnmappedCode = vi.fn();
    const result = foundResult(
      normalizeUspsAnswer(
        answer([{ eventCode: 'Q9', eventTimestamp: '2026-03-03T07:00:00' }], { statusCategory: 'Teleported' }),
        {
          onUnmappedCode,
        },
      ),
    );
    expect(result).toMatchObject({ status: 'unknown', substatus: 'unmapped_carrier_status' });
    expect(onUnmappedCode.mock.calls).toEqual([['Q9'], ['statusCategory:Teleported']]);
  });

  it('uses the category when USPS answers with no events', () => {
    const result = foundResult(normalizeUspsAnswer(answer([], { statusCategory: 'Pre-Shipment' })));
    expect(result).toMatchObject({ status: 'info_received', substatus: 'label_created', events: [] });
  });

  it('reads an answer with neither events nor category as not found yet', () => {
    expect(
      normalizeUspsAnswer(answer([], { statusCategory: null, statusSummary: 'Label created, not yet in system' })),
    ).toEqual({
      kind: 'not_found_yet',
      trackingNumber: '9400100000000000000024',
      message: 'Label created, not yet in system',
    });
  });

  it('turns an EDD with a time of day into an instant in the destination zone', () => {
    const result = foundResult(normalizeUspsAnswer(answer([], { expectedDeliveryTimeStamp: '2026-03-05T21:00:00' })));
    expect(result.estimatedDelivery).toBe('2026-03-06T03:00:00.000Z');
  });

  it('falls back to expectedDeliveryDate, then predictedDeliveryDate', () => {
    expect(foundResult(normalizeUspsAnswer(answer([], { expectedDeliveryDate: '2026-03-07' }))).estimatedDelivery).toBe(
      '2026-03-07',
    );
    expect(
      foundResult(normalizeUspsAnswer(answer([], { predictedDeliveryDate: '2026-03-08' }))).estimatedDelivery,
    ).toBe('2026-03-08');
  });

  it('uses the requested number when the answer omits its own', () => {
    const body = answer([]);
    delete body.trackingNumber;
    expect(foundResult(normalizeUspsAnswer(body, { trackingNumber: '9400100000000000000048' })).trackingNumber).toBe(
      '9400100000000000000048',
    );
  });
});

describe('uspsCountryToIso2', () => {
  it.each([
    ['CANADA', 'CA'],
    ['UNITED KINGDOM', 'GB'],
    ['GREAT BRITAIN', 'GB'],
    ['Germany', 'DE'],
    ['mx', 'MX'],
    ['UK', 'GB'],
    ['DD', 'DE'],
    ['UNITED STATES OF AMERICA', 'US'],
    ['NARNIA', null],
    ['', null],
    [null, null],
  ])('%j → %j', (value, iso2) => {
    expect(uspsCountryToIso2(value)).toBe(iso2);
  });
});

describe('normalizeUspsAnswer — error answers', () => {
  const errorBody = (errors: Record<string, unknown>[], message = 'Bad Request'): Record<string, unknown> => ({
    apiVersion: '/tracking/v3',
    error: { code: '400', message, errors },
  });

  it('treats a 1500xx code the table lacks as not found yet, and reports it', () => {
    const onUnmappedCode = vi.fn();
    expect(
      normalizeUspsAnswer(errorBody([{ code: '150099', title: 'Something new' }]), {
        trackingNumber: 'N1',
        onUnmappedCode,
      }),
    ).toEqual({ kind: 'not_found_yet', trackingNumber: 'N1', message: 'Something new' });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('error:150099');
  });

  it('treats a validation error on the trackingNumber parameter as an invalid number', () => {
    expect(
      normalizeUspsAnswer(
        errorBody([{ code: '400', title: 'Invalid value', source: { parameter: 'trackingNumber' } }]),
        {
          trackingNumber: 'N2',
        },
      ),
    ).toEqual({ kind: 'invalid_number', trackingNumber: 'N2', message: 'Invalid value' });
  });

  it('throws for an error that says nothing about the number (our request or USPS is wrong)', () => {
    const error = rejection(() => normalizeUspsAnswer(errorBody([], 'Invalid expand value'), { trackingNumber: 'N3' }));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toBe('USPS answered an error that is not about the tracking number: Invalid expand value');
  });
});

describe('normalizeUspsAnswer — wrong shapes', () => {
  it.each<[string, unknown, string]>([
    ['a string', 'Delivered', 'USPS answer is not a JSON object'],
    ['null', null, 'USPS answer is not a JSON object'],
    ['events that are not a list', { ...answer([]), trackingEvents: { eventCode: '01' } }, ''],
    [
      'the SUMMARY form',
      { trackingNumber: 'N', eventSummaries: ['Delivered'] },
      'USPS sent the SUMMARY form (sentences only); the request must ask for expand=DETAIL',
    ],
    ['no tracking number anywhere', { trackingEvents: [] }, 'USPS tracking answer has no trackingNumber'],
    ['an OAuth error in place of a tracking answer', { error: 'invalid_client' }, ''],
  ])('throws upstream_invalid_response for %s', (_label, body, message) => {
    const error = rejection(() => normalizeUspsAnswer(body));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).not.toContain('\n');
    if (message) expect(error.message).toBe(message);
  });

  it('names where the shape is wrong', () => {
    const error = rejection(() => normalizeUspsAnswer(answer([{ eventCode: { nested: true } }])));
    expect(error.message).toMatch(/^USPS tracking answer has an unexpected shape at trackingEvents\.0\.eventCode: /);
  });
});
