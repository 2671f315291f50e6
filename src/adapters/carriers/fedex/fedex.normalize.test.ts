import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { isDomainError } from '../../../core/errors.js';
import { isSubstatusAllowedUnder } from '../../../core/shipment/shipping-status.js';
import type { NormalizedEvent, TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { normalizeFedexTrackResponse } from './fedex.normalize.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
}

function found(outcome: TrackingOutcome | undefined): TrackingResult {
  if (outcome?.kind !== 'found') throw new Error(`expected a found outcome, got ${JSON.stringify(outcome)}`);
  return outcome.result;
}

function only(body: unknown): TrackingResult {
  const outcomes = normalizeFedexTrackResponse(body);
  expect(outcomes).toHaveLength(1);
  return found(outcomes[0]);
}

/** `rawCode status/substatus reason` per event, in FedEx's (newest first) order. */
function story(result: TrackingResult): string[] {
  return result.events.map((e) => `${e.rawCode} ${e.status}/${e.substatus}${e.reason ? ` ${e.reason}` : ''}`);
}

function eventWithCode(result: TrackingResult, rawCode: string): NormalizedEvent {
  const event = result.events.find((e) => e.rawCode === rawCode);
  if (!event) throw new Error(`no event ${rawCode}`);
  return event;
}

function expectInvalidResponse(body: unknown, message: RegExp): void {
  try {
    normalizeFedexTrackResponse(body);
  } catch (error) {
    expect(isDomainError(error) && error.code).toBe('upstream_invalid_response');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    return;
  }
  throw new Error('expected upstream_invalid_response');
}

describe('normalizeFedexTrackResponse: recorded answers', () => {
  it('delivered.json: a Ground parcel from Minnesota to New York, with one offset-less scan', () => {
    const result = only(fixture('delivered.json'));
    expect(result).toMatchObject({
      carrier: 'fedex',
      trackingNumber: '738488882438',
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
      // standardTransitTimeWindow.ends "2024-08-21T00:00:00-06:00": a date, not 06:00 UTC.
      estimatedDelivery: '2024-08-21',
      deliveredAt: '2024-08-20T16:41:57.000Z',
      signedBy: 'CREILLY',
      service: 'FedEx Ground',
    });
    expect(result.events).toHaveLength(17);
    expect(story(result)).toEqual([
      'DL delivered/delivered',
      'OD out_for_delivery/out_for_delivery',
      'AR in_transit/arrived_at_facility',
      'DP in_transit/departed_facility',
      'AR in_transit/arrived_at_facility',
      'IT in_transit/in_transit',
      'IT in_transit/in_transit',
      'IT in_transit/in_transit',
      'DP in_transit/departed_facility',
      'AR in_transit/arrived_at_facility',
      'DP in_transit/departed_facility',
      'AR in_transit/arrived_at_facility',
      'DP in_transit/departed_facility',
      'AE in_transit/info_update',
      'AR in_transit/arrived_at_facility',
      'OC info_received/label_created',
      'PU in_transit/picked_up',
    ]);
    expect(result.events[0]).toEqual({
      occurredAt: '2024-08-20T16:41:57.000Z',
      occurredAtLocal: '2024-08-20T12:41:57-04:00',
      timeZoneInferred: false,
      sequence: 16,
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
      description: 'Delivered',
      location: { city: 'Blue Point', region: 'NY', postalCode: '11715', country: 'US' },
      rawCode: 'DL',
      rawStatus: 'DL',
    });
    // OD carries derivedStatusCode IT: the event code decides.
    expect(result.events[1]).toMatchObject({ rawCode: 'OD', rawStatus: 'IT', status: 'out_for_delivery' });
    // The OC scan has a postal code and country only.
    expect(eventWithCode(result, 'OC').location).toEqual({
      city: null,
      region: null,
      postalCode: '56003',
      country: 'US',
    });
  });

  it('delivered.json: the PU scan without an offset is read in Minnesota time and flagged inferred', () => {
    const pickup = eventWithCode(only(fixture('delivered.json')), 'PU');
    expect(pickup).toMatchObject({
      occurredAtLocal: '2024-08-15T00:00:00',
      occurredAt: '2024-08-15T05:00:00.000Z', // America/Chicago, CDT (UTC−5) in August
      timeZoneInferred: true,
      sequence: 0,
    });
  });

  it('two_results_delay_pickup_then_delivered.json: of two shipments on one number, the one scanned last', () => {
    const result = only(fixture('two_results_delay_pickup_then_delivered.json'));
    expect(result).toMatchObject({
      trackingNumber: '776094337676',
      status: 'delivered',
      substatus: 'delivered',
      deliveredAt: '2024-04-26T16:26:00.000Z',
      signedBy: 'D.HERRERA',
      service: 'FedEx Priority Overnight',
      estimatedDelivery: '2024-04-26',
    });
    expect(story(result)).toEqual([
      'DL delivered/delivered',
      'OD out_for_delivery/out_for_delivery',
      'AO in_transit/info_update',
      'PU in_transit/picked_up',
      'AF/A3 in_transit/arrived_at_facility',
      'DE/A47 in_transit/forwarded',
      'DE/08 attempt_failed/recipient_unavailable consignee_not_available',
      'OD out_for_delivery/out_for_delivery',
    ]);
    expect(eventWithCode(result, 'DE/08')).toMatchObject({
      occurredAt: '2024-04-25T18:26:00.000Z',
      occurredAtLocal: '2024-04-25T11:26:00-07:00',
      description: 'Delivery exception: Customer not available or business closed',
      rawStatus: 'DE',
    });
    // The delivery scan's location is all blanks.
    expect(result.events[0]?.location).toBeNull();
  });

  it('spec_example_all_fields.json: the spec example, error field and all, plus a not-found number', () => {
    const outcomes = normalizeFedexTrackResponse(fixture('spec_example_all_fields.json'));
    expect(outcomes).toHaveLength(2);
    const result = found(outcomes[0]);
    expect(result).toMatchObject({
      // The number the caller asked for, not trackingNumberInfo's.
      trackingNumber: '123456789012',
      // PU with ancillary reason 15: "PU/15" is no pair, PU decides; the WEATHER delay does not undo a pickup.
      status: 'in_transit',
      substatus: 'picked_up',
      reason: null,
      estimatedDelivery: '2021-10-15',
      // ACTUAL_DELIVERY "2007-09-27T00:00:00" without offset, read at the destination (Seattle, PDT).
      deliveredAt: '2007-09-27T07:00:00.000Z',
      signedBy: 'Reciever',
      service: 'FedEx Freight Economy.',
    });
    expect(result.events).toEqual([
      {
        occurredAt: '2018-02-02T19:01:00.000Z',
        occurredAtLocal: '2018-02-02T12:01:00-07:00',
        timeZoneInferred: false,
        sequence: 0,
        status: 'in_transit',
        substatus: 'picked_up',
        reason: null,
        description: 'Picked Up: Package available for clearance',
        location: { city: 'SEATTLE', region: 'WA', postalCode: '98101', country: 'US' },
        rawCode: 'PU/A25',
        rawStatus: 'PU',
      },
    ]);
    expect(outcomes[1]).toEqual({
      kind: 'not_found_yet',
      trackingNumber: '39936862321',
      message: 'Tracking number cannot be found. Please correct the tracking number and try again.',
    });
  });

  it('not_found_http200.json: not found is an outcome, not an error', () => {
    expect(normalizeFedexTrackResponse(fixture('not_found_http200.json'))).toEqual([
      {
        kind: 'not_found_yet',
        trackingNumber: '02399989320920003663',
        message:
          "The tracking number you entered can't be found right now. Please check the number with the shipper or try again later.",
      },
    ]);
  });

  it.each([
    ['error_tracking_number_empty_400.json', /TRACKING\.TRACKINGNUMBER\.EMPTY/],
    ['error_unauthorized_401.json', /NOT\.AUTHORIZED\.ERROR/],
    ['error_service_unavailable_503.json', /SERVICE\.UNAVAILABLE\.ERROR/],
  ])('%s: an error body where tracking data was expected is an invalid response', (name, message) => {
    expectInvalidResponse(fixture(name), message);
  });

  it('oauth_token_response.json is no track answer', () => {
    expectInvalidResponse(fixture('oauth_token_response.json'), /unexpected shape \(output: /);
  });
});

describe('normalizeFedexTrackResponse: own fixtures', () => {
  it('own_label_created.json: label only', () => {
    const result = only(fixture('own_label_created.json'));
    expect(result).toMatchObject({
      status: 'info_received',
      substatus: 'label_created',
      reason: null,
      estimatedDelivery: '2026-11-27',
      deliveredAt: null,
      signedBy: null,
      service: 'FedEx Ground',
    });
    expect(result.events).toEqual([
      {
        occurredAt: '2026-11-23T23:12:40.000Z',
        occurredAtLocal: '2026-11-23T16:12:40-07:00',
        timeZoneInferred: false,
        sequence: 0,
        status: 'info_received',
        substatus: 'label_created',
        reason: null,
        description: 'Shipment information sent to FedEx',
        location: { city: null, region: null, postalCode: '83704', country: 'US' },
        rawCode: 'OC',
        rawStatus: 'IN',
      },
    ]);
  });

  it('own_international_customs_missing_offsets.json: customs, and European scans without offsets', () => {
    const result = only(fixture('own_international_customs_missing_offsets.json'));
    expect(result).toMatchObject({
      status: 'in_transit',
      substatus: 'customs_cleared',
      // The window ends at a real time, so it stays an instant.
      estimatedDelivery: '2026-11-26T18:00:00.000Z',
      service: 'FedEx International Priority',
    });
    expect(story(result)).toEqual([
      'CC in_transit/customs_cleared',
      'CD/A55 exception/customs_hold customs_delay',
      'CP in_transit/customs_processing',
      'AR in_transit/arrived_at_facility',
      'DP in_transit/departed_facility',
      'PU in_transit/picked_up',
      'OC info_received/label_created',
    ]);
    // No region in GB, but a different country from the destination: the scan's country decides.
    expect(eventWithCode(result, 'DP')).toMatchObject({
      occurredAtLocal: '2026-11-24T19:05:00',
      occurredAt: '2026-11-24T19:05:00.000Z', // Europe/London, GMT in November
      timeZoneInferred: true,
      location: { city: 'STANSTED', region: null, postalCode: 'CM24', country: 'GB' },
    });
    expect(eventWithCode(result, 'PU')).toMatchObject({
      occurredAt: '2026-11-24T11:30:00.000Z',
      timeZoneInferred: true,
    });
    expect(eventWithCode(result, 'OC')).toMatchObject({
      occurredAt: '2026-11-23T17:20:11.000Z',
      occurredAtLocal: '2026-11-23T17:20:11+00:00',
      timeZoneInferred: false,
    });
    expect(eventWithCode(result, 'CD/A55')).toMatchObject({
      occurredAt: '2026-11-25T09:40:00.000Z',
      description: 'Clearance delay: Import clearance delay',
      rawStatus: 'DY',
    });
  });

  it('own_out_for_delivery_after_weather_delay.json: the weather delay names its reason', () => {
    const result = only(fixture('own_out_for_delivery_after_weather_delay.json'));
    expect(result).toMatchObject({
      status: 'out_for_delivery',
      substatus: 'out_for_delivery',
      // dateAndTimes ESTIMATED_DELIVERY wins over the (earlier) standard transit commitment.
      estimatedDelivery: '2026-11-27',
    });
    expect(story(result)).toEqual([
      'OD out_for_delivery/out_for_delivery',
      'AR in_transit/arrived_at_facility',
      'DY/A43 exception/delayed_weather weather_delay',
      'AR in_transit/arrived_at_facility',
      'PU in_transit/picked_up',
    ]);
    expect(eventWithCode(result, 'DY/A43')).toMatchObject({
      occurredAt: '2026-11-26T14:10:00.000Z',
      occurredAtLocal: '2026-11-26T08:10:00-06:00',
      description: 'Delay: Weather delay',
    });
  });

  it('own_failed_attempt_then_pickup_point.json: attempt, redirect, ready at a FedEx Office', () => {
    const result = only(fixture('own_failed_attempt_then_pickup_point.json'));
    expect(result).toMatchObject({
      status: 'available_for_pickup',
      substatus: 'held_at_carrier_for_collection',
      reason: null,
      service: 'FedEx Home Delivery',
    });
    expect(story(result)).toEqual([
      'HP/015A available_for_pickup/held_at_carrier_for_collection',
      'DE/A13 in_transit/forwarded',
      'DE/007 attempt_failed/recipient_unavailable consignee_not_available',
      'OD out_for_delivery/out_for_delivery',
      'AR in_transit/arrived_at_facility',
      'PU in_transit/picked_up',
    ]);
    expect(result.events[0]).toMatchObject({
      occurredAt: '2026-11-25T22:31:00.000Z',
      rawStatus: 'IT',
      // FedEx pads the address with a trailing blank.
      description: 'Ready for recipient pickup: Package available for pickup at FedEx Office: 1800 E SPEEDWAY BLVD',
      location: { city: 'TUCSON', region: 'AZ', postalCode: '85719', country: 'US' },
    });
  });

  it('own_address_issue_then_return.json: RS is a return even though FedEx derives DL for it', () => {
    const result = only(fixture('own_address_issue_then_return.json'));
    // Latest status DE with ancillary reason 060G ("Returning to shipper").
    expect(result).toMatchObject({ status: 'return_to_sender', substatus: 'returning', reason: null });
    expect(result.deliveredAt).toBeNull();
    expect(story(result)).toEqual([
      'RS/060G return_to_sender/returning',
      'RT exception/exception_other',
      'DE/03 exception/address_issue consignee_incorrect_address',
      'OD out_for_delivery/out_for_delivery',
    ]);
    expect(result.events[0]).toMatchObject({ rawStatus: 'DL', occurredAt: '2026-11-26T17:12:31.000Z' });
  });

  it('own_cancelled.json: cancelled before pickup', () => {
    const result = only(fixture('own_cancelled.json'));
    expect(result).toMatchObject({ status: 'cancelled', substatus: 'cancelled', estimatedDelivery: null });
    expect(story(result)).toEqual(['CA cancelled/cancelled', 'OC info_received/label_created']);
  });

  it('own_multi_number_mixed.json: one outcome per number, in FedEx order', () => {
    const outcomes = normalizeFedexTrackResponse(fixture('own_multi_number_mixed.json'));
    expect(outcomes.map((o) => [o.kind, o.kind === 'found' ? o.result.trackingNumber : o.trackingNumber])).toEqual([
      ['found', '286800000000707'],
      ['not_found_yet', '286800000000708'],
      ['invalid_number', '12345'],
    ]);
    expect(outcomes[2]).toEqual({
      kind: 'invalid_number',
      trackingNumber: '12345',
      message: 'This tracking number is not valid.',
    });
  });

  it('own_multi_number_mixed.json: times without offsets are read at the place, else at the destination', () => {
    const result = found(normalizeFedexTrackResponse(fixture('own_multi_number_mixed.json'))[0]);
    expect(result).toMatchObject({
      status: 'delivered',
      // ACTUAL_DELIVERY "2026-11-27T14:05:00", Portland OR (PST, UTC−8).
      deliveredAt: '2026-11-27T22:05:00.000Z',
      // receivedByName is blank; the signer is in signedByName.
      signedBy: 'M.OKAFOR',
    });
    expect(result.events.map((e) => [e.rawCode, e.occurredAtLocal, e.occurredAt, e.timeZoneInferred])).toEqual([
      ['DL', '2026-11-27T14:05:00', '2026-11-27T22:05:00.000Z', true],
      ['OD', '2026-11-27T06:30:00', '2026-11-27T14:30:00.000Z', true],
      // No place at all: the destination's zone.
      ['OC', '2026-11-24T09:00:00', '2026-11-24T17:00:00.000Z', true],
    ]);
    expect(result.events[2]?.location).toBeNull();
  });

  it('own_unmapped_codes.json: unknown codes are unknown, reported once each, never guessed', () => {
    const onUnmappedCode = vi.fn();
    const result = found(normalizeFedexTrackResponse(fixture('own_unmapped_codes.json'), { onUnmappedCode })[0]);
    expect(result).toMatchObject({ status: 'unknown', substatus: 'unmapped_carrier_status' });
    expect(story(result)).toEqual(['ZZ unknown/unmapped_carrier_status', 'QQ in_transit/in_transit']);
    // ZZ appears in the latest status and in a scan; reported once.
    expect(onUnmappedCode.mock.calls).toEqual([['ZZ'], ['QQ']]);
  });
});

describe('normalizeFedexTrackResponse: every fixture', () => {
  const names = [
    'delivered.json',
    'two_results_delay_pickup_then_delivered.json',
    'spec_example_all_fields.json',
    'own_label_created.json',
    'own_international_customs_missing_offsets.json',
    'own_out_for_delivery_after_weather_delay.json',
    'own_failed_attempt_then_pickup_point.json',
    'own_address_issue_then_return.json',
    'own_cancelled.json',
    'own_multi_number_mixed.json',
    'own_unmapped_codes.json',
  ];

  it.each(names)('%s: UTC instants with milliseconds, valid statuses, ISO-2 countries', (name) => {
    for (const outcome of normalizeFedexTrackResponse(fixture(name))) {
      if (outcome.kind !== 'found') continue;
      const { result } = outcome;
      expect(isSubstatusAllowedUnder(result.substatus, result.status)).toBe(true);
      for (const event of result.events) {
        expect(event.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(isSubstatusAllowedUnder(event.substatus, event.status)).toBe(true);
        if (event.location?.country) expect(event.location.country).toMatch(/^[A-Z]{2}$/);
        expect(event.rawCode).not.toBeNull();
      }
    }
  });
});

/** A minimal answer for one number with the given track results. */
function answer(trackResults: unknown[], trackingNumber = '794600000099'): unknown {
  return { transactionId: 't', output: { completeTrackResults: [{ trackingNumber, trackResults }] } };
}

const scan = (date: string, eventType: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  date,
  eventType,
  eventDescription: eventType,
  exceptionCode: '',
  exceptionDescription: '',
  scanLocation: { city: 'MEMPHIS', stateOrProvinceCode: 'TN', countryCode: 'US' },
  derivedStatusCode: 'IT',
  ...extra,
});

describe('normalizeFedexTrackResponse: edge cases', () => {
  it.each([
    ['a string', 'not json at all', /\(\(root\): /],
    ['null', null, /\(\(root\): /],
    ['no output', { transactionId: 't' }, /output: /],
    ['completeTrackResults not a list', { output: { completeTrackResults: 'nope' } }, /output\.completeTrackResults: /],
    [
      'scanEvents not a list',
      answer([{ scanEvents: { date: 'x' } }]),
      /output\.completeTrackResults\.0\.trackResults\.0\.scanEvents: /,
    ],
    [
      'a number where a code belongs',
      answer([{ latestStatusDetail: { code: 42 } }]),
      /latestStatusDetail\.code: .*expected string/,
    ],
  ])('%s → upstream_invalid_response in one line', (_label, body, message) => {
    expectInvalidResponse(body, message);
  });

  it('an empty answer has no outcomes', () => {
    expect(normalizeFedexTrackResponse({ output: { completeTrackResults: [] } })).toEqual([]);
  });

  it('a number with no results is not found yet', () => {
    expect(normalizeFedexTrackResponse(answer([]))).toEqual([
      { kind: 'not_found_yet', trackingNumber: '794600000099', message: null },
    ]);
  });

  it('an unknown per-number error code keeps the tracker alive and shows the code', () => {
    expect(
      normalizeFedexTrackResponse(answer([{ error: { code: 'TRACKING.SOMETHING.NEW', message: 'Try later.' } }])),
    ).toEqual([
      { kind: 'not_found_yet', trackingNumber: '794600000099', message: 'TRACKING.SOMETHING.NEW: Try later.' },
    ]);
  });

  it('a per-number EMPTY error marks the number invalid', () => {
    expect(
      normalizeFedexTrackResponse(
        answer([{ error: { code: 'TRACKING.TRACKINGNUMBER.EMPTY', message: 'Please provide tracking number.' } }]),
      ),
    ).toEqual([{ kind: 'invalid_number', trackingNumber: '794600000099', message: 'Please provide tracking number.' }]);
  });

  it('takes the number from trackingNumberInfo when the entry has none', () => {
    const body = {
      output: {
        completeTrackResults: [
          {
            trackResults: [
              {
                trackingNumberInfo: { trackingNumber: '794600000098' },
                scanEvents: [scan('2026-11-25T10:00:00-06:00', 'IT')],
              },
            ],
          },
        ],
      },
    };
    expect(found(normalizeFedexTrackResponse(body)[0]).trackingNumber).toBe('794600000098');
  });

  it('skips a scan whose time cannot be read, keeps the others', () => {
    const result = only(
      answer([
        {
          scanEvents: [
            scan('2026-11-25T10:00:00-06:00', 'AR'),
            scan('', 'DP'),
            scan('yesterday', 'DP'),
            scan('2026-11-24T18:00:00-06:00', 'PU', { derivedStatusCode: 'PU' }),
          ],
        },
      ]),
    );
    expect(result.events.map((e) => e.rawCode)).toEqual(['AR', 'PU']);
    // Sequences still follow FedEx's positions.
    expect(result.events.map((e) => e.sequence)).toEqual([3, 0]);
  });

  it('reads a bare date as local midnight and keeps the string as sent', () => {
    const result = only(answer([{ scanEvents: [scan('2026-11-25', 'PU')] }]));
    expect(result.events[0]).toMatchObject({
      occurredAtLocal: '2026-11-25',
      occurredAt: '2026-11-25T06:00:00.000Z', // Memphis, CST
      timeZoneInferred: true,
    });
  });

  it('without latestStatusDetail the newest scan gives the current status', () => {
    const result = only(
      answer([{ scanEvents: [scan('2026-11-24T08:00:00-06:00', 'AR'), scan('2026-11-25T08:00:00-06:00', 'OD')] }]),
    );
    expect(result).toMatchObject({ status: 'out_for_delivery', substatus: 'out_for_delivery' });
  });

  it('a latest status without events still counts as found', () => {
    const result = only(answer([{ latestStatusDetail: { code: 'OC', derivedCode: 'IN' } }]));
    expect(result).toMatchObject({ status: 'info_received', events: [] });
  });

  it('data wins over an error in the same result; the latest delay flag does not change an in-transit code', () => {
    const result = only(
      answer([
        {
          error: { code: 'TRACKING.TRACKINGNUMBER.NOTFOUND', message: 'x' },
          latestStatusDetail: { code: 'FD', derivedCode: 'RL', delayDetail: { status: 'DELAYED' } },
        },
      ]),
    );
    expect(result).toMatchObject({ status: 'in_transit', substatus: 'at_local_delivery_depot' });
  });

  it('a latest status known only by its derived code uses it', () => {
    const result = only(
      answer([{ latestStatusDetail: { code: '', derivedCode: 'RL', delayDetail: { type: 'WEATHER' } } }]),
    );
    expect(result).toMatchObject({ status: 'exception', substatus: 'delayed_weather', reason: 'weather_delay' });
  });

  it('of two results with the same newest scan time, takes the later one', () => {
    const result = only(
      answer([
        { latestStatusDetail: { code: 'IT' }, scanEvents: [scan('2026-11-25T10:00:00-06:00', 'IT')] },
        { latestStatusDetail: { code: 'DL' }, scanEvents: [scan('2026-11-25T10:00:00-06:00', 'DL')] },
      ]),
    );
    expect(result.status).toBe('delivered');
  });

  it('prefers the live estimate window over dateAndTimes and the standard transit time', () => {
    const result = only(
      answer([
        {
          latestStatusDetail: { code: 'IT' },
          estimatedDeliveryTimeWindow: { window: { begins: '2026-11-28T00:00:00-06:00' } },
          dateAndTimes: [{ type: 'ESTIMATED_DELIVERY', dateTime: '2026-11-29T00:00:00-06:00' }],
          standardTransitTimeWindow: { window: { ends: '2026-11-30T00:00:00-06:00' } },
        },
      ]),
    );
    expect(result.estimatedDelivery).toBe('2026-11-28');
  });

  it('a delivery estimate with a time but no offset is read at the destination', () => {
    const result = only(
      answer([
        {
          latestStatusDetail: { code: 'IT' },
          recipientInformation: { address: { city: 'DENVER', stateOrProvinceCode: 'CO', countryCode: 'US' } },
          estimatedDeliveryTimeWindow: { window: { ends: '2026-11-28T17:00:00' } },
        },
      ]),
    );
    expect(result.estimatedDelivery).toBe('2026-11-29T00:00:00.000Z'); // Denver, MST
  });

  it('deliveredAt falls back to the newest delivery scan', () => {
    const result = only(
      answer([{ latestStatusDetail: { code: 'DL' }, scanEvents: [scan('2026-11-25T10:00:00-06:00', 'DL')] }]),
    );
    expect(result.deliveredAt).toBe('2026-11-25T16:00:00.000Z');
  });

  it('ignores a country code that is not ISO-2', () => {
    const result = only(
      answer([
        { scanEvents: [scan('2026-11-25T10:00:00-06:00', 'IT', { scanLocation: { city: 'X', countryCode: 'USA' } })] },
      ]),
    );
    expect(result.events[0]?.location).toEqual({ city: 'X', region: null, postalCode: null, country: null });
  });
});
