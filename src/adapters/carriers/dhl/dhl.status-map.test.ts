import { describe, expect, it, vi } from 'vitest';

import {
  isIncidentReason,
  isShippingStatus,
  isSubstatus,
  isSubstatusAllowedUnder,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
import {
  DHL_EXPRESS_CODES_LEFT_UNMAPPED,
  DHL_EXPRESS_EVENT_CODES,
  DHL_EXPRESS_SHIPMENT_STATUS_CODES,
  DHL_STATUS_CODE_MAP,
  DHL_STATUS_CODES,
  DHL_TEXT_RULES,
  dhlProductFamily,
  mapDhlStatus,
  matchDhlTextRule,
  type DhlMapping,
  type DhlProductFamily,
  type DhlTextRule,
} from './dhl.status-map.js';

function expectValid(row: DhlMapping, label: string): void {
  expect(isShippingStatus(row.status), `${label}: status ${row.status}`).toBe(true);
  expect(isSubstatus(row.substatus), `${label}: substatus ${row.substatus}`).toBe(true);
  expect(isSubstatusAllowedUnder(row.substatus, row.status), `${label}: ${row.substatus} under ${row.status}`).toBe(
    true,
  );
  if (row.reason !== undefined) expect(isIncidentReason(row.reason), `${label}: reason ${row.reason}`).toBe(true);
}

type Row = [code: string, status: ShippingStatus, substatus: Substatus, reason: IncidentReason | null];

const express = (code: string) =>
  mapDhlStatus({ service: 'express', statusCode: null, status: code, description: null });

describe('every table row is valid under the taxonomy', () => {
  it('statusCode rows', () => {
    for (const [code, row] of Object.entries(DHL_STATUS_CODE_MAP)) expectValid(row, `statusCode ${code}`);
  });

  it('Express checkpoint code rows', () => {
    for (const [code, row] of Object.entries(DHL_EXPRESS_EVENT_CODES)) expectValid(row, `Express ${code}`);
  });

  it('text rule rows', () => {
    for (const [family, rules] of Object.entries(DHL_TEXT_RULES)) {
      for (const rule of rules) expectValid(rule, `${family} ${rule.id}`);
    }
  });

  it('text rule ids are unique', () => {
    const ids = Object.values(DHL_TEXT_RULES).flatMap((rules) => rules.map((rule) => rule.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the Express numeric shipment codes name a statusCode', () => {
    for (const statusCode of Object.values(DHL_EXPRESS_SHIPMENT_STATUS_CODES)) {
      expect(DHL_STATUS_CODES).toContain(statusCode);
    }
  });

  it('no code is both mapped and deliberately left unmapped', () => {
    for (const code of Object.keys(DHL_EXPRESS_CODES_LEFT_UNMAPPED))
      expect(DHL_EXPRESS_EVENT_CODES[code]).toBeUndefined();
  });
});

describe('statusCode, row by row', () => {
  it.each<Row>([
    ['pre-transit', 'info_received', 'label_created', null],
    ['transit', 'in_transit', 'in_transit', null],
    ['delivered', 'delivered', 'delivered', null],
    // DHL files attempts, returns and losses alike under `failure`; alone it says only "a problem".
    ['failure', 'exception', 'exception_other', null],
    // DHL's own "unknown" is a known value: mapped to unknown, but not reported as unmapped.
    ['unknown', 'unknown', 'unmapped_carrier_status', null],
  ])('%s → %s / %s', (statusCode, status, substatus, reason) => {
    const onUnmapped = vi.fn();
    const mapped = mapDhlStatus({ service: null, statusCode, status: null, description: null }, onUnmapped);
    expect(mapped).toMatchObject({ status, substatus, reason, rawStatus: statusCode, matchedBy: 'status_code' });
    expect(onUnmapped).not.toHaveBeenCalled();
  });

  it.each([
    ['101', 'delivered'],
    ['102', 'transit'],
    ['103', 'failure'],
    ['104', 'pre-transit'],
  ])('Express shipment code %s stands for statusCode %s when that is missing', (code, statusCode) => {
    const mapped = mapDhlStatus({ service: 'express', statusCode: null, status: code, description: null });
    expect(mapped.rawStatus).toBe(statusCode);
    expect(mapped.rawCode).toBe(code);
    expect(mapped.matchedBy).toBe('status_code');
  });
});

describe('Express checkpoint codes, row by row', () => {
  const rows: Row[] = [
    ['SD', 'info_received', 'label_created', null],
    ['PU', 'in_transit', 'picked_up', null],
    // Drop-off at a DHL counter: DHL has the parcel, as with a pick-up.
    ['SA', 'in_transit', 'picked_up', null],
    ['PL', 'in_transit', 'processed_at_facility', null],
    ['DF', 'in_transit', 'departed_facility', null],
    ['AF', 'in_transit', 'arrived_at_facility', null],
    // "Arrival in delivery facility" is the last depot before the courier.
    ['AR', 'in_transit', 'at_local_delivery_depot', null],
    ['WC', 'out_for_delivery', 'out_for_delivery', null],
    ['OK', 'delivered', 'delivered', null],
    ['TR', 'in_transit', 'in_transit', null],
    ['SM', 'in_transit', 'in_transit', null],
    ['FD', 'in_transit', 'forwarded', null],
    ['AD', 'in_transit', 'delivery_scheduled', null],
    ['SC', 'in_transit', 'info_update', null],
    // DHL hands over to another carrier and stops reporting delivery details.
    ['TP', 'in_transit', 'transferred_to_partner_carrier', null],
    ['IC', 'in_transit', 'customs_processing', null],
    // "Response received" is customs answering; clearance goes on.
    ['RR', 'in_transit', 'customs_processing', null],
    ['BN', 'in_transit', 'customs_processing', null],
    ['CR', 'in_transit', 'customs_cleared', null],
    ['BR', 'in_transit', 'customs_cleared', null],
    // Duties paid: the parcel moves again (an exception → in_transit move the reducer allows).
    ['PY', 'in_transit', 'info_update', null],
    // "Controllable": a document or answer the shipper or recipient can send.
    ['CD', 'exception', 'customs_info_required', 'customs_documentation'],
    // "Uncontrollable": inspection or backlog; the default customs_inspection would claim more than DHL says.
    ['UD', 'exception', 'customs_hold', 'customs_delay'],
    ['HP', 'exception', 'payment_due', 'customs_duties_unpaid'],
    // "Not delivered" names no cause, so no reason is invented.
    ['ND', 'attempt_failed', 'attempted', null],
    ['NH', 'attempt_failed', 'recipient_unavailable', 'consignee_not_home'],
    ['CA', 'attempt_failed', 'business_closed', 'consignee_business_closed'],
    // Refused at the door: an attempt, not yet a return (an RT follows if the parcel goes back).
    ['RD', 'attempt_failed', 'refused', 'consignee_refused'],
    // The courier never reached the door: a carrier delay, so not counted as a failed attempt.
    ['MD', 'exception', 'delayed', 'carrier_not_enough_time'],
    // Waiting at the DHL service point for the recipient to collect.
    ['CC', 'available_for_pickup', 'held_at_carrier_for_collection', null],
    ['BA', 'exception', 'address_issue', 'consignee_incorrect_address'],
    ['CM', 'exception', 'recipient_moved', 'consignee_incorrect_address'],
    // The return starts; its end shows as a delivery at the shipper, so "returned" is not claimed here.
    ['RT', 'return_to_sender', 'returning', null],
    ['DD', 'delivered', 'delivered_damaged', 'carrier_damaged_parcel'],
    ['PD', 'delivered', 'delivered_partial', null],
    ['DS', 'failure', 'destroyed_disposed', null],
    ['OH', 'exception', 'held_by_carrier', null],
    // Stopped in the network (often on the shipper's request): held, not lost.
    ['SS', 'exception', 'held_by_carrier', null],
    ['MS', 'exception', 'delayed_carrier_processing', 'carrier_sorting_error'],
    // A miscode sends the parcel the wrong way like a mis-sort does.
    ['MC', 'exception', 'delayed_carrier_processing', 'carrier_sorting_error'],
  ];

  it('the test covers every row of the table', () => {
    expect(rows.map(([code]) => code).sort()).toEqual(Object.keys(DHL_EXPRESS_EVENT_CODES).sort());
  });

  it.each(rows)('%s → %s / %s (%s)', (code, status, substatus, reason) => {
    expect(express(code)).toMatchObject({ status, substatus, reason, rawCode: code, matchedBy: 'event_code' });
  });

  it('the checkpoint code wins over a text and a statusCode that say less', () => {
    const mapped = mapDhlStatus({
      service: 'express',
      statusCode: 'transit',
      status: 'HP',
      description: 'Shipment is on hold',
    });
    expect(mapped).toMatchObject({
      status: 'exception',
      substatus: 'payment_due',
      rawCode: 'HP',
      rawStatus: 'transit',
    });
  });

  it('CS (closed shipment) is left to the coarser layers and not reported', () => {
    const onUnmapped = vi.fn();
    const mapped = mapDhlStatus(
      { service: 'express', statusCode: 'unknown', status: 'CS', description: 'Closed shipment' },
      onUnmapped,
    );
    expect(mapped).toMatchObject({ status: 'unknown', substatus: 'unmapped_carrier_status', rawCode: 'CS' });
    expect(onUnmapped).not.toHaveBeenCalled();
    expect(
      mapDhlStatus({ service: 'express', statusCode: null, status: 'CS', description: null }, onUnmapped).status,
    ).toBe('unknown');
    expect(onUnmapped).not.toHaveBeenCalled();
  });

  it('an unknown checkpoint code is reported, and the coarse statusCode still places the event', () => {
    const onUnmapped = vi.fn();
    const mapped = mapDhlStatus(
      { service: 'express', statusCode: 'transit', status: 'ZQ', description: 'Something new' },
      onUnmapped,
    );
    expect(mapped).toMatchObject({
      status: 'in_transit',
      substatus: 'in_transit',
      rawCode: 'ZQ',
      matchedBy: 'status_code',
    });
    expect(onUnmapped).toHaveBeenCalledExactlyOnceWith('ZQ');
  });
});

describe('text rules', () => {
  const serviceOf: Record<DhlProductFamily | 'any', string | null> = {
    express: 'express',
    'parcel-de': 'parcel-de',
    ecommerce: 'ecommerce',
    any: null,
  };

  const families = Object.entries(DHL_TEXT_RULES) as [DhlProductFamily | 'any', readonly DhlTextRule[]][];
  for (const [family, rules] of families) {
    it.each(rules.map((rule) => [rule.id, rule.example, rule.status, rule.substatus] as const))(
      '%s catches its example "%s" → %s / %s',
      (id, example, status, substatus) => {
        expect(matchDhlTextRule(serviceOf[family], [example])?.id).toBe(id);
        const mapped = mapDhlStatus({
          service: serviceOf[family],
          statusCode: null,
          status: null,
          description: example,
        });
        expect(mapped).toMatchObject({ status, substatus, matchedBy: 'text', ruleId: id });
      },
    );
  }

  it.each<[service: string | null, text: string, statusCode: string, status: ShippingStatus, substatus: Substatus]>([
    // "could not be delivered" also contains "delivered": the failure rules must come first.
    ['parcel-de', 'The shipment could not be delivered', 'failure', 'attempt_failed', 'attempted'],
    ['express', 'Shipment could not be delivered', 'failure', 'attempt_failed', 'attempted'],
    // DHL reports a completed return as `delivered` (to the sender); the text says whose door it was.
    [
      'parcel-de',
      'The shipment has been successfully returned to the sender',
      'delivered',
      'return_to_sender',
      'returned',
    ],
    // "delivered for pick-up" is not a delivery: it waits at the retail outlet.
    [
      'parcel-de',
      'The shipment has been delivered for pick-up at the postal retail outlet Hauptstr. 1 10115 Berlin',
      'transit',
      'available_for_pickup',
      'ready_at_post_office',
    ],
    // A second attempt going out undoes the failed attempt (attempt_failed → out_for_delivery).
    ['parcel-de', 'A 2nd attempt at delivery is being made', 'transit', 'out_for_delivery', 'out_for_delivery'],
    // The duty-payment hold is checked before the plain "on hold".
    ['express', 'Shipment on hold pending duty payment', 'transit', 'exception', 'payment_due'],
    // Express: "Delivered - Signed for by" is a signed delivery.
    ['express', 'Delivered - Signed for by : A PETROVA', 'delivered', 'delivered', 'signed_for'],
    // eCommerce NL: leaving the delivery centre towards the consignee is the courier's round.
    [
      'parcel-nl',
      'The parcel has left the parcel delivery centre and is on its way to the consignee.',
      'transit',
      'out_for_delivery',
      'out_for_delivery',
    ],
    // An unknown service gets only the generic rules.
    ['freight', 'Delivered', 'delivered', 'delivered', 'delivered'],
  ])('%s "%s" (statusCode %s) → %s / %s', (service, text, statusCode, status, substatus) => {
    expect(mapDhlStatus({ service, statusCode, status: text, description: text })).toMatchObject({
      status,
      substatus,
      matchedBy: 'text',
    });
  });

  it('matches whatever the case and spacing', () => {
    expect(matchDhlTextRule('express', ['Arrived at DHL Sort Facility  VALENCIA - SPAIN'])?.id).toBe(
      'express.arrived_sort_facility',
    );
    expect(matchDhlTextRule('express', ['SHIPMENT PICKED UP'])?.id).toBe('express.picked_up');
  });

  it('an unmatched text under a known statusCode is not reported (texts vary endlessly)', () => {
    const onUnmapped = vi.fn();
    const mapped = mapDhlStatus(
      { service: 'parcel-de', statusCode: 'transit', status: 'Neuer Text', description: 'Neuer Text' },
      onUnmapped,
    );
    expect(mapped).toMatchObject({ status: 'in_transit', rawCode: 'Neuer Text', matchedBy: 'status_code' });
    expect(onUnmapped).not.toHaveBeenCalled();
  });
});

describe('unmapped values', () => {
  it('a statusCode outside the five is reported and gives unknown, never a guess', () => {
    const onUnmapped = vi.fn();
    const mapped = mapDhlStatus(
      { service: 'parcel-de', statusCode: 'on-hold', status: null, description: 'Awaiting further instructions' },
      onUnmapped,
    );
    expect(mapped).toMatchObject({ status: 'unknown', substatus: 'unmapped_carrier_status', reason: null });
    expect(onUnmapped).toHaveBeenCalledExactlyOnceWith('on-hold');
  });

  it('nothing usable at all is reported once, by its most specific value', () => {
    const onUnmapped = vi.fn();
    expect(mapDhlStatus({ service: null, statusCode: null, status: 'Zzz', description: null }, onUnmapped).status).toBe(
      'unknown',
    );
    expect(mapDhlStatus({ service: null, statusCode: null, status: null, description: null }, onUnmapped).status).toBe(
      'unknown',
    );
    expect(onUnmapped.mock.calls).toEqual([['Zzz'], ['(empty)']]);
  });
});

describe('dhlProductFamily', () => {
  it.each([
    ['express', 'express'],
    ['parcel-de', 'parcel-de'],
    ['post-de', 'parcel-de'],
    ['ecommerce', 'ecommerce'],
    ['ecommerce-europe', 'ecommerce'],
    ['parcel-nl', 'ecommerce'],
    ['freight', null],
    [null, null],
  ])('%s → %s', (service, family) => {
    expect(dhlProductFamily(service)).toBe(family);
  });
});
