import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../../core/errors.js';
import type { TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import {
  normalizeUpsTrackResponse,
  parseUpsDate,
  parseUpsOffset,
  parseUpsTime,
  resolveUpsTime,
} from './ups.normalize.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
}

function found(outcome: TrackingOutcome | undefined): TrackingResult {
  if (outcome?.kind !== 'found') throw new Error(`expected a found outcome, got ${outcome?.kind}`);
  return outcome.result;
}

function only(body: unknown, options: Parameters<typeof normalizeUpsTrackResponse>[1] = {}): TrackingResult {
  const outcomes = normalizeUpsTrackResponse(body, options);
  expect(outcomes).toHaveLength(1);
  return found(outcomes[0]);
}

/** The fields that tell an event apart, for compact expectations. */
function brief(result: TrackingResult) {
  return result.events.map((e) => [
    e.occurredAt,
    e.occurredAtLocal,
    e.timeZoneInferred,
    e.status,
    e.substatus,
    e.rawCode,
    e.rawStatus,
  ]);
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

describe('normalizeUpsTrackResponse — recorded answers', () => {
  it('delivered.json: label then delivery in Paramus NJ, no GMT fields → New York time, inferred', () => {
    const result = only(fixture('delivered.json'));
    expect(result).toMatchObject({
      carrier: 'ups',
      trackingNumber: '1Z1442YY7229014688',
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
      estimatedDelivery: '2022-01-26',
      deliveredAt: '2022-01-26T21:30:00.000Z',
      signedBy: null,
      service: null,
    });
    expect(brief(result)).toEqual([
      ['2022-01-26T21:30:00.000Z', '20220126 163000', true, 'delivered', 'delivered', 'F4', '011'],
      ['2022-01-26T20:16:41.000Z', '20220126 151641', true, 'info_received', 'label_created', 'MP', '003'],
    ]);
    expect(result.events[0]).toMatchObject({
      description: 'DELIVERED',
      location: { city: 'PARAMUS', region: 'NJ', postalCode: null, country: 'US' },
      sequence: 1,
    });
    expect(result.events[1]!.location).toEqual({ city: null, region: null, postalCode: null, country: 'US' });
  });

  it('exception_customs_clearance.json: every activity placed exactly by its GMT fields (HH:MM:SS form)', () => {
    const result = only(fixture('exception_customs_clearance.json'));
    expect(result).toMatchObject({
      trackingNumber: '1Z1202R66698804005',
      status: 'in_transit',
      substatus: 'customs_processing',
      estimatedDelivery: null,
      deliveredAt: null,
      service: 'UPS Express®',
    });
    expect(result.events).toHaveLength(17);
    expect(result.events.every((e) => !e.timeZoneInferred)).toBe(true);
    expect(brief(result)).toEqual([
      ['2024-03-20T11:08:38.000Z', '20240320 190838', false, 'in_transit', 'customs_processing', '092', 'X'],
      ['2024-03-19T23:07:00.000Z', '20240320 070700', false, 'in_transit', 'arrived_at_facility', 'AR', '005'],
      ['2024-03-19T19:20:00.000Z', '20240320 032000', false, 'in_transit', 'departed_facility', 'DP', '005'],
      ['2024-03-19T15:22:00.000Z', '20240319 232200', false, 'in_transit', 'arrived_at_facility', 'AR', '005'],
      ['2024-03-19T03:50:00.000Z', '20240319 045000', false, 'in_transit', 'departed_facility', 'DP', '005'],
      ['2024-03-18T23:34:00.000Z', '20240319 003400', false, 'in_transit', 'arrived_at_facility', 'AR', '005'],
      ['2024-03-18T21:10:00.000Z', '20240318 221000', false, 'in_transit', 'departed_facility', 'DP', '005'],
      ['2024-03-18T20:38:29.000Z', '20240318 213829', false, 'in_transit', 'customs_cleared', 'RZ', '014'],
      ['2024-03-18T20:23:34.000Z', '20240318 212334', false, 'in_transit', 'customs_processing', 'RZ', '012'],
      ['2024-03-18T20:23:34.000Z', '20240318 212334', false, 'in_transit', 'customs_cleared', 'BB', '014'],
      ['2024-03-18T19:03:06.000Z', '20240318 200306', false, 'in_transit', 'picked_up', 'OR', '005'],
      ['2024-03-18T17:36:23.000Z', '20240318 183623', false, 'in_transit', 'customs_cleared', 'RZ', '014'],
      ['2024-03-18T17:36:23.000Z', '20240318 183623', false, 'exception', 'customs_info_required', 'BB', '058'],
      ['2024-03-18T17:16:05.000Z', '20240318 181605', false, 'in_transit', 'customs_processing', 'RZ', '012'],
      ['2024-03-18T17:16:05.000Z', '20240318 181605', false, 'in_transit', 'customs_cleared', 'DA', '014'],
      ['2024-03-18T14:44:03.000Z', '20240318 154403', false, 'in_transit', 'picked_up', 'PU', '038'],
      ['2024-03-18T11:49:17.000Z', '20240318 124917', false, 'info_received', 'label_created', 'MP', '003'],
    ]);
    // Same instant: UPS's order (most recent first) is kept as the sequence.
    expect(result.events.map((e) => e.sequence)).toEqual([16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(result.events[12]).toMatchObject({ reason: 'customs_documentation' });
    expect(result.events[0]!.location).toBeNull();
    expect(result.events[1]!.location).toEqual({ city: 'Changi', region: null, postalCode: null, country: 'SG' });
  });

  it('not_found_TW0001_http200.json → not_found_yet, not an error', () => {
    expect(normalizeUpsTrackResponse(fixture('not_found_TW0001_http200.json'))).toEqual([
      { kind: 'not_found_yet', trackingNumber: '1Z9912350341235622', message: 'Tracking Information Not Found' },
    ]);
  });

  it('invalid_inquiry_number_TV1002.json → invalid_number for the number asked', () => {
    expect(
      normalizeUpsTrackResponse(fixture('invalid_inquiry_number_TV1002.json'), { inquiryNumber: '1Z12345' }),
    ).toEqual([{ kind: 'invalid_number', trackingNumber: '1Z12345', message: 'TV1002 Invalid inquiry number' }]);
  });

  it('TV1002 for a number whose UPS check digit verifies → not_found_yet (UPS-API issue #218)', () => {
    const [outcome] = normalizeUpsTrackResponse(fixture('invalid_inquiry_number_TV1002.json'), {
      inquiryNumber: '1Z999AA10123456784',
    });
    expect(outcome).toMatchObject({ kind: 'not_found_yet', trackingNumber: '1Z999AA10123456784' });
  });

  it('an error body without the number asked cannot be placed', () => {
    expect(thrown(() => normalizeUpsTrackResponse(fixture('invalid_inquiry_number_TV1002.json'))).code).toBe(
      'upstream_invalid_response',
    );
  });

  it('auth_error_250003.json → upstream_auth_failed', () => {
    const error = thrown(() => normalizeUpsTrackResponse(fixture('auth_error_250003.json'), { inquiryNumber: '1Z1' }));
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).toBe('UPS refused the credentials: 250003 Invalid Access License number');
  });

  it('spec_example_all_fields.json: placeholders ("string") are ignored, not trusted', () => {
    const onUnmappedCode = vi.fn();
    const result = only(fixture('spec_example_all_fields.json'), { onUnmappedCode });
    expect(result).toMatchObject({
      trackingNumber: 'string',
      // The example's activity is X / SR with status code 003: the code decides.
      status: 'info_received',
      substatus: 'label_created',
      estimatedDelivery: null,
      deliveredAt: null,
      signedBy: '163000',
      service: 'UPS Ground',
    });
    expect(brief(result)).toEqual([
      ['2021-02-10T12:13:56.000Z', '20210210 071356', true, 'info_received', 'label_created', 'SR', '003'],
    ]);
    expect(result.events[0]!.location).toEqual({ city: 'Wayne', region: 'NJ', postalCode: '07470', country: 'US' });
    expect(onUnmappedCode).not.toHaveBeenCalled();
  });
});

describe('normalizeUpsTrackResponse — own fixtures', () => {
  it('multi-piece: one outcome per package; GMT times in all three spellings', () => {
    const outcomes = normalizeUpsTrackResponse(fixture('own_multi_piece_in_transit.json'));
    expect(outcomes).toHaveLength(2);
    const [first, second] = outcomes.map(found);
    expect(first).toMatchObject({
      trackingNumber: '1ZW2A7350312345006',
      status: 'in_transit',
      substatus: 'departed_facility',
      estimatedDelivery: '2026-11-30',
      service: 'UPS Ground',
    });
    expect(brief(first!)).toEqual([
      ['2026-11-25T07:47:00.000Z', '20261125 024700', false, 'in_transit', 'departed_facility', 'DP', '005'],
      ['2026-11-25T04:15:00.000Z', '20261124 231500', false, 'in_transit', 'arrived_at_facility', 'AR', '005'],
      ['2026-11-24T21:10:00.000Z', '20261124 161000', false, 'in_transit', 'picked_up', 'PU', '038'],
      ['2026-11-24T14:05:12.000Z', '20261124 090512', false, 'info_received', 'label_created', 'MP', '003'],
    ]);
    expect(second).toMatchObject({ trackingNumber: '1ZW2A7350398765008', substatus: 'processed_at_facility' });
    expect(brief(second!)).toEqual([
      ['2026-11-25T03:00:00.000Z', '20261124 220000', false, 'in_transit', 'processed_at_facility', 'HU', '005'],
      ['2026-11-25T00:00:00.000Z', '20261124 190000', false, 'in_transit', 'picked_up', 'OR', '005'],
    ]);
  });

  it('missing offsets: zone from the place (Denver), else the destination; a newer update does not take the headline', () => {
    const result = only(fixture('own_out_for_delivery_missing_offsets.json'));
    expect(result).toMatchObject({
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
      // Rescheduled beats scheduled.
      estimatedDelivery: '2026-11-27',
      deliveredAt: null,
    });
    expect(brief(result)).toEqual([
      ['2026-11-27T15:00:00.000Z', '20261127 080000', true, 'in_transit', 'delivery_rescheduled', 'UP', '154'],
      ['2026-11-27T14:15:00.000Z', '20261127 071500', true, 'out_for_delivery', 'out_for_delivery', 'OT', '021'],
      ['2026-11-27T11:30:00.000Z', '20261127 043000', true, 'in_transit', 'at_local_delivery_depot', 'DS', '005'],
      ['2026-11-26T13:00:00.000Z', '20261126 060000', true, 'exception', 'delayed', '17', '046'],
    ]);
    expect(result.events[0]!.location).toBeNull();
  });

  it('failed attempts, sent on to an Access Point, waiting there', () => {
    const result = only(fixture('own_attempt_failed_access_point.json'));
    expect(result).toMatchObject({
      status: 'available_for_pickup',
      substatus: 'ready_at_pickup_point',
      deliveredAt: null,
      service: 'UPS 2nd Day Air®',
    });
    expect(brief(result)).toEqual([
      [
        '2026-11-21T17:30:00.000Z',
        '20261121 113000',
        false,
        'available_for_pickup',
        'ready_at_pickup_point',
        '2Q',
        '161',
      ],
      ['2026-11-21T01:05:00.000Z', '20261120 190500', false, 'in_transit', 'forwarded', '89', '057'],
      ['2026-11-20T20:10:00.000Z', '20261120 141000', false, 'attempt_failed', 'recipient_unavailable', '49', '024'],
      ['2026-11-19T21:20:00.000Z', '20261119 152000', false, 'attempt_failed', 'recipient_unavailable', '48', '022'],
    ]);
    expect(result.events[3]!.reason).toBe('consignee_not_home');
  });

  it('exceptions with reasons, read from the code or the description', () => {
    const result = only(fixture('own_exceptions.json'));
    expect(result).toMatchObject({ status: 'exception', substatus: 'payment_due', reason: 'customs_duties_unpaid' });
    expect(result.events.map((e) => [e.rawStatus, e.substatus, e.reason])).toEqual([
      ['029', 'payment_due', 'customs_duties_unpaid'],
      ['013', 'exception_other', null],
      ['059', 'damaged', 'carrier_damaged_parcel'],
      ['050', 'address_issue', 'consignee_incorrect_address'],
      ['013', 'delayed_weather', 'weather_delay'],
    ]);
    expect(result.events.map((e) => e.occurredAt)).toEqual([
      '2026-03-10T14:15:00.000Z',
      '2026-03-09T21:00:00.000Z',
      '2026-03-09T16:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-07T13:00:00.000Z',
    ]);
    expect(result.events[0]!.location).toEqual({ city: 'Toronto', region: 'ON', postalCode: null, country: 'CA' });
  });

  it('refused, returning, then "delivered" to the original sender = returned', () => {
    const result = only(fixture('own_returned_to_sender.json'));
    expect(result).toMatchObject({ status: 'return_to_sender', substatus: 'returned', deliveredAt: null });
    expect(brief(result)).toEqual([
      ['2026-04-15T15:30:00.000Z', '20260415 103000', false, 'return_to_sender', 'returned', 'B0', '034'],
      ['2026-04-13T23:00:00.000Z', '20260413 180000', false, 'return_to_sender', 'returning', 'RS', '035'],
      ['2026-04-13T16:30:00.000Z', '20260413 113000', false, 'exception', 'refused', '53', '064'],
    ]);
  });

  it('a voided label is cancelled', () => {
    const result = only(fixture('own_voided_label.json'));
    expect(result).toMatchObject({ status: 'cancelled', substatus: 'label_voided' });
    expect(result.events.map((e) => [e.rawCode, e.rawStatus])).toEqual([
      ['VP', '007'],
      ['MP', '003'],
    ]);
  });

  it('delivered and signed: receivedBy, DEL date, and a later photo that moves nothing', () => {
    const result = only(fixture('own_delivered_signed.json'));
    expect(result).toMatchObject({
      status: 'delivered',
      substatus: 'delivered',
      estimatedDelivery: '2026-06-12',
      deliveredAt: '2026-06-11T21:32:12.000Z',
      signedBy: 'MARTINEZ',
      service: 'UPS Next Day Air®',
    });
    expect(brief(result)).toEqual([
      ['2026-06-11T21:35:00.000Z', '20260611 143500', false, 'delivered', 'delivered', 'PX', '155'],
      ['2026-06-11T21:32:12.000Z', '20260611 143212', false, 'delivered', 'delivered', 'FS', '011'],
      ['2026-06-11T15:10:00.000Z', '20260611 081000', false, 'out_for_delivery', 'out_for_delivery', 'OT', '021'],
    ]);
  });

  it('two shipments in one answer: one delivered to the porch, one not found yet', () => {
    const [delivered, notFound] = normalizeUpsTrackResponse(fixture('own_multi_shipment_answer.json'));
    expect(found(delivered)).toMatchObject({
      trackingNumber: '1Z7M7M7M0311111002',
      status: 'delivered',
      substatus: 'delivered_safe_place',
      deliveredAt: '2026-07-05T20:00:00.000Z',
    });
    expect(notFound).toEqual({
      kind: 'not_found_yet',
      trackingNumber: '1ZW2A7350398766007',
      message: 'Tracking Information Not Found',
    });
  });

  it('unmapped codes are reported and never guessed', () => {
    const onUnmappedCode = vi.fn();
    const result = only(fixture('own_unmapped_codes.json'), { onUnmappedCode });
    expect(onUnmappedCode.mock.calls).toEqual([['ZZ'], ['150']]);
    // The newest activity is unknown, so the headline is unknown too.
    expect(result).toMatchObject({ status: 'unknown', substatus: 'unmapped_carrier_status' });
    expect(brief(result)).toEqual([
      ['2026-08-01T10:00:00.000Z', '20260801 120000', true, 'unknown', 'unmapped_carrier_status', 'Q9', 'ZZ'],
      ['2026-07-31T20:00:00.000Z', '20260731 220000', true, 'in_transit', 'in_transit', 'NZ', '150'],
      ['2026-07-31T13:00:00.000Z', '20260731 150000', true, 'in_transit', 'picked_up', 'PU', 'P'],
    ]);
  });

  it('the documented 404 envelope with TW0001 → not_found_yet', () => {
    expect(normalizeUpsTrackResponse(fixture('own_not_found_TW0001_http404.json'), { inquiryNumber: '1Z9' })).toEqual([
      { kind: 'not_found_yet', trackingNumber: '1Z9', message: 'Tracking Information Not Found' },
    ]);
  });
});

describe('normalizeUpsTrackResponse — edge cases', () => {
  const shipment = (pkg: Record<string, unknown>) => ({
    trackResponse: { shipment: [{ inquiryNumber: '1Z1', package: [{ trackingNumber: '1Z1', ...pkg }] }] },
  });

  it('without activities the headline comes from currentStatus, else pending', () => {
    expect(
      only(shipment({ currentStatus: { description: 'Customs Clearance in Progress', code: '092' } })),
    ).toMatchObject({ status: 'in_transit', substatus: 'customs_processing', events: [] });
    expect(only(shipment({}))).toMatchObject({ status: 'pending', substatus: 'registered', events: [] });
  });

  it('skips an activity without a usable date instead of inventing one', () => {
    const result = only(
      shipment({
        activity: [
          { status: { type: 'I', code: 'AR', statusCode: '005' }, time: '101000' },
          { status: { type: 'M', code: 'MP', statusCode: '003' }, date: '20260101', time: '090000' },
        ],
      }),
    );
    expect(result.events.map((e) => e.rawCode)).toEqual(['MP']);
    // Nothing known about the place: read as UTC and marked inferred.
    expect(result.events[0]).toMatchObject({ occurredAt: '2026-01-01T09:00:00.000Z', timeZoneInferred: true });
  });

  it('deliveredAt falls back to the DEL date and time at the destination', () => {
    const result = only(
      shipment({
        deliveryDate: [{ type: 'DEL', date: '20260115' }],
        deliveryTime: { type: 'DEL', endTime: '101500' },
        packageAddress: [{ type: 'DESTINATION', address: { stateProvince: 'CA', countryCode: 'US' } }],
      }),
    );
    expect(result.deliveredAt).toBe('2026-01-15T18:15:00.000Z');
  });

  it('a shipment with no package and no warning is not found yet', () => {
    expect(normalizeUpsTrackResponse({ trackResponse: { shipment: [{ inquiryNumber: '1Z2' }] } })).toEqual([
      { kind: 'not_found_yet', trackingNumber: '1Z2', message: null },
    ]);
  });

  it.each([
    ['a string', 'hello', 'UPS track answer has an unexpected shape at (root)'],
    ['no trackResponse', { foo: 1 }, 'UPS track answer has an unexpected shape at trackResponse'],
    [
      'shipment not an array',
      { trackResponse: { shipment: {} } },
      'UPS track answer has an unexpected shape at trackResponse.shipment',
    ],
    [
      'activity not an array',
      { trackResponse: { shipment: [{ inquiryNumber: '1Z', package: [{ activity: 'x' }] }] } },
      'UPS track answer has an unexpected shape at trackResponse.shipment.0.package.0.activity',
    ],
    [
      'an empty error list',
      { response: { errors: [] } },
      'UPS error answer has an unexpected shape at response.errors',
    ],
  ])('wrong shape (%s) → upstream_invalid_response with one clear line', (_name, body, start) => {
    const error = thrown(() => normalizeUpsTrackResponse(body, { inquiryNumber: '1Z1' }));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message.startsWith(start)).toBe(true);
    expect(error.message).not.toContain('\n');
  });

  it('an unknown UPS error code is reported as an unreadable answer, with the code', () => {
    const error = thrown(() =>
      normalizeUpsTrackResponse(
        { response: { errors: [{ code: 'TE9999', message: 'Oops' }] } },
        { inquiryNumber: '1Z' },
      ),
    );
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toBe('UPS answered error TE9999: Oops');
  });
});

describe('UPS date and time fields', () => {
  it.each([
    ['20260131', '2026-01-31'],
    ['20260230', null],
    ['string', null],
    ['', null],
    [null, null],
  ])('date %s → %s', (value, expected) => {
    expect(parseUpsDate(value)).toBe(expected);
  });

  it.each([
    ['071356', '07:13:56'],
    ['74700', '07:47:00'],
    ['11:08:38', '11:08:38'],
    ['000000', '00:00:00'],
    ['246000', null],
    ['string', null],
  ])('time %s → %s', (value, expected) => {
    expect(parseUpsTime(value)).toBe(expected);
  });

  it.each([
    ['-05:00', '-05:00'],
    ['+08:00', '+08:00'],
    ['-04.00', '-04:00'],
    ['-0500', '-05:00'],
    ['+5:30', '+05:30'],
    ['EST', null],
  ])('offset %s → %s', (value, expected) => {
    expect(parseUpsOffset(value)).toBe(expected);
  });

  it('prefers GMT fields, then local time with offset, then inference', () => {
    const place = { city: 'Paris', region: null, postalCode: null, country: 'FR' };
    expect(
      resolveUpsTime({
        date: '20260701',
        time: '120000',
        gmtDate: '20260701',
        gmtTime: '100000',
        location: place,
        fallbackLocation: null,
      }),
    ).toEqual({ occurredAt: '2026-07-01T10:00:00.000Z', occurredAtLocal: '20260701 120000', timeZoneInferred: false });
    expect(
      resolveUpsTime({ date: '20260701', time: '120000', gmtOffset: '+02:00', location: null, fallbackLocation: null }),
    ).toEqual({ occurredAt: '2026-07-01T10:00:00.000Z', occurredAtLocal: '20260701 120000', timeZoneInferred: false });
    expect(resolveUpsTime({ date: '20260701', time: '120000', location: place, fallbackLocation: null })).toEqual({
      occurredAt: '2026-07-01T10:00:00.000Z',
      occurredAtLocal: '20260701 120000',
      timeZoneInferred: true,
    });
    expect(resolveUpsTime({ date: 'x', time: '120000', location: place, fallbackLocation: null })).toBeNull();
  });
});
