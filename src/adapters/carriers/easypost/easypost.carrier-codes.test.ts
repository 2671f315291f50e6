import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { TRACKING_NORMALIZERS } from '../carrier-registry.js';
import type { TrackingOutcome, TrackingResult } from '../../../core/tracking/tracking-result.js';
import { mapEasyPostCarrierCode } from './easypost.carrier-codes.js';
import { normalizeEasyPostWebhook } from './easypost.normalize.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
}

function found(outcomes: TrackingOutcome[]): TrackingResult {
  const outcome = outcomes[0];
  if (outcome?.kind !== 'found') throw new Error(`expected a found outcome, got ${JSON.stringify(outcome)}`);
  return outcome.result;
}

function withCarrierTables(name: string): TrackingResult {
  return found(normalizeEasyPostWebhook(fixture(name), { mapCarrierCode: mapEasyPostCarrierCode }));
}

describe('mapEasyPostCarrierCode', () => {
  it.each([
    // FedEx event codes: the table's reading, more precise than EasyPost's (PU is a pickup, not a hub arrival).
    ['fedex', 'PU', { status: 'in_transit', substatus: 'picked_up', reason: null }],
    ['fedex', 'od', { status: 'out_for_delivery', substatus: 'out_for_delivery', reason: null }],
    ['fedex', 'RS', { status: 'return_to_sender', substatus: 'returning', reason: null }],
    // DE waits for an exception code EasyPost does not forward: EasyPost's detail says more.
    ['fedex', 'DE', null],
    ['fedex', 'ZZ', null],
    // USPS event codes, bare digits padded as USPS does.
    ['usps', '10', { status: 'in_transit', substatus: 'arrived_at_facility', reason: null }],
    ['usps', 'OF', { status: 'out_for_delivery', substatus: 'out_for_delivery', reason: null }],
    ['usps', 'GX', { status: 'info_received', substatus: 'label_created', reason: null }],
    ['usps', 'Q9', null],
    // UPS: 3-digit status codes only; activity codes need a type EasyPost does not send.
    ['ups', '003', { status: 'info_received', substatus: 'label_created', reason: null }],
    ['ups', 'DP', null],
    ['ups', '999', null],
    // DHL Express checkpoint codes.
    ['dhl', 'WC', { status: 'out_for_delivery', substatus: 'out_for_delivery', reason: null }],
    ['dhl', 'UD', { status: 'exception', substatus: 'customs_hold', reason: 'customs_delay' }],
    ['dhl', '600', null],
    // Carriers without a table of their own.
    ['canadapost', '0170', null],
    ['lasership', 'PU', null],
  ])('should read %s code %s as %j', (carrier, code, expected) => {
    expect(mapEasyPostCarrierCode(carrier, code)).toEqual(expected);
  });

  it('should let FedEx’s table place the events of the recorded FedEx webhook', () => {
    const result = withCarrierTables('webhook_tracker_updated_in_transit_fedex.json');

    expect(result.events.map((e) => [e.rawCode, e.status, e.substatus])).toEqual([
      ['OC', 'info_received', 'label_created'],
      ['PU', 'in_transit', 'picked_up'],
      ['AR', 'in_transit', 'arrived_at_facility'],
      ['DP', 'in_transit', 'departed_facility'],
      ['IT', 'in_transit', 'in_transit'],
      ['IT', 'in_transit', 'in_transit'],
      ['AR', 'in_transit', 'arrived_at_facility'],
    ]);
    // The tracker's headline is EasyPost's own classification of the parcel, untouched.
    expect([result.status, result.substatus]).toEqual(['in_transit', 'arrived_at_facility']);
  });

  it('should keep EasyPost’s refusal where FedEx’s DE needs an exception code, and map OD and RS by FedEx', () => {
    const plain = found(
      normalizeEasyPostWebhook(fixture('SYNTHETIC_webhook_tracker_updated_return_refused_fedex.json')),
    );
    const result = withCarrierTables('SYNTHETIC_webhook_tracker_updated_return_refused_fedex.json');

    expect(result.events.map((e) => [e.rawCode, e.status, e.substatus])).toEqual([
      ['OD', 'out_for_delivery', 'out_for_delivery'],
      plain.events.map((e) => [e.rawCode, e.status, e.substatus])[1],
      ['RS', 'return_to_sender', 'returning'],
    ]);
  });

  it('should map the USPS webhook by USPS event codes', () => {
    const result = withCarrierTables('SYNTHETIC_webhook_tracker_updated_out_for_delivery_usps_local_times.json');

    expect(result.events.map((e) => [e.rawCode, e.status, e.substatus])).toEqual([
      ['GX', 'info_received', 'label_created'],
      ['10', 'in_transit', 'arrived_at_facility'],
      ['EF', 'in_transit', 'departed_facility'],
      ['07', 'in_transit', 'at_local_delivery_depot'],
      ['OF', 'out_for_delivery', 'out_for_delivery'],
    ]);
  });

  it.each([
    'SYNTHETIC_webhook_tracker_updated_failure_weather_ups.json',
    'SYNTHETIC_webhook_tracker_updated_available_for_pickup_canada_post.json',
    'SYNTHETIC_webhook_tracker_updated_lost_smartpost.json',
    'webhook_tracker_updated_delivered_ups_docs.json',
  ])('should leave %s as EasyPost maps it where no carrier table applies', (name) => {
    const plain = found(normalizeEasyPostWebhook(fixture(name)));

    expect(withCarrierTables(name)).toEqual(plain);
  });

  it('should be what `waymark normalize --source easypost` and the EasyPost webhook use', () => {
    const viaRegistry = found(TRACKING_NORMALIZERS.easypost!(fixture('webhook_tracker_updated_in_transit_fedex.json')));

    expect(viaRegistry.events[1]?.substatus).toBe('picked_up');
  });
});
