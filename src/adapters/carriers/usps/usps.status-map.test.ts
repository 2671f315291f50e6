import { describe, expect, it, vi } from 'vitest';

import {
  isIncidentReason,
  isSubstatusAllowedUnder,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
import {
  USPS_EVENT_CODES,
  USPS_EVENT_TYPES,
  USPS_STATUS_CATEGORIES,
  USPS_TRACKING_ERRORS,
  mapUspsEvent,
  mapUspsStatusCategory,
  normaliseUspsEventCode,
  normaliseUspsText,
  type UspsMapping,
} from './usps.status-map.js';

type Expected = [status: ShippingStatus, substatus: Substatus, reason: IncidentReason | null];

function allMappings(): [string, UspsMapping][] {
  const rows: [string, UspsMapping][] = [];
  for (const [code, row] of Object.entries(USPS_EVENT_CODES)) {
    rows.push([`code ${code}`, row]);
    for (const [wording, variant] of Object.entries(row.byEventType ?? {}))
      rows.push([`code ${code} + "${wording}"`, variant]);
  }
  for (const [wording, mapping] of Object.entries(USPS_EVENT_TYPES)) rows.push([`eventType "${wording}"`, mapping]);
  for (const [category, mapping] of Object.entries(USPS_STATUS_CATEGORIES))
    rows.push([`category "${category}"`, mapping]);
  return rows;
}

describe('USPS tables against the taxonomy', () => {
  it.each(allMappings())('%s has a substatus allowed under its status and a known reason', (_label, mapping) => {
    expect(isSubstatusAllowedUnder(mapping.substatus, mapping.status)).toBe(true);
    if (mapping.reason !== undefined) expect(isIncidentReason(mapping.reason)).toBe(true);
  });

  it('keys the text tables by their normalised form, so a lookup can ever match', () => {
    const keys = [
      ...Object.keys(USPS_EVENT_TYPES),
      ...Object.keys(USPS_STATUS_CATEGORIES),
      ...Object.values(USPS_EVENT_CODES).flatMap((row) => Object.keys(row.byEventType ?? {})),
    ];
    for (const key of keys) expect(normaliseUspsText(key)).toBe(key);
  });

  it('keys the code table by two-character upper-case codes', () => {
    for (const code of Object.keys(USPS_EVENT_CODES)) expect(code).toMatch(/^[0-9A-Z]{2}$/);
  });

  it('never maps a code to unknown: unknown is for what the table lacks', () => {
    for (const [, mapping] of allMappings()) expect(mapping.status).not.toBe('unknown');
  });
});

/** Every row of USPS_EVENT_CODES, with the final reason (row reason, else the taxonomy default). */
const EXPECTED_BY_CODE: Record<string, Expected> = {
  MA: ['info_received', 'label_created', null],
  GX: ['info_received', 'label_created', null],
  '80': ['in_transit', 'picked_up', null],
  '81': ['in_transit', 'arrived_at_facility', null],
  '82': ['in_transit', 'departed_facility', null],
  '03': ['in_transit', 'picked_up', null],
  TM: ['in_transit', 'picked_up', null],
  PA: ['in_transit', 'picked_up', null],
  SF: ['in_transit', 'departed_facility', null],
  '10': ['in_transit', 'arrived_at_facility', null],
  A1: ['in_transit', 'arrived_at_facility', null],
  T1: ['in_transit', 'departed_facility', null],
  AD: ['in_transit', 'arrived_at_facility', null],
  EF: ['in_transit', 'departed_facility', null],
  PC: ['in_transit', 'processed_at_facility', null],
  TL: ['in_transit', 'in_transit', null],
  '19': ['in_transit', 'arrived_at_facility', null],
  '41': ['in_transit', 'arrived_at_facility', null],
  '42': ['in_transit', 'transferred_to_partner_carrier', null],
  '06': ['in_transit', 'forwarded', null],
  '07': ['in_transit', 'at_local_delivery_depot', null],
  '71': ['in_transit', 'delivery_rescheduled', null],
  OF: ['out_for_delivery', 'out_for_delivery', null],
  '01': ['delivered', 'delivered', null],
  '17': ['delivered', 'collected_from_pickup_point', null],
  '43': ['delivered', 'collected_from_pickup_point', null],
  '14': ['available_for_pickup', 'ready_at_pickup_point', null],
  '16': ['available_for_pickup', 'ready_at_post_office', null],
  '02': ['attempt_failed', 'notice_left', null],
  '52': ['attempt_failed', 'notice_left', null],
  '53': ['attempt_failed', 'location_inaccessible', 'consignee_access_restricted'],
  '54': ['attempt_failed', 'attempted', 'consignee_safe_place_unavailable'],
  '55': ['attempt_failed', 'attempted', 'consignee_safe_place_unavailable'],
  '56': ['attempt_failed', 'recipient_unavailable', 'consignee_not_home'],
  '30': ['attempt_failed', 'location_inaccessible', 'consignee_access_restricted'],
  '51': ['attempt_failed', 'business_closed', 'consignee_business_closed'],
  '04': ['exception', 'refused', 'consignee_refused'],
  '05': ['exception', 'address_issue', 'consignee_incorrect_address'],
  '08': ['exception', 'delayed_carrier_processing', 'carrier_sorting_error'],
  '15': ['exception', 'delayed_carrier_processing', 'carrier_sorting_error'],
  DX: ['exception', 'exception_other', null],
  '11': ['failure', 'undeliverable', null],
  '09': ['return_to_sender', 'returning', null],
  '21': ['return_to_sender', 'returning', 'consignee_incorrect_address'],
  '22': ['return_to_sender', 'returning', 'consignee_incorrect_address'],
  '23': ['return_to_sender', 'returning', 'consignee_incorrect_address'],
  '24': ['return_to_sender', 'returning', 'consignee_incorrect_address'],
  '25': ['return_to_sender', 'returning', 'consignee_incorrect_address'],
  '26': ['return_to_sender', 'returning', 'consignee_incorrect_address'],
  '27': ['return_to_sender', 'returning', 'consignee_not_available'],
  '28': ['return_to_sender', 'returning', 'consignee_not_available'],
  '29': ['return_to_sender', 'returning', null],
  '31': ['return_to_sender', 'returning', 'consignee_not_available'],
  '44': ['return_to_sender', 'returning', 'retailer_cancelled'],
};

describe('mapUspsEvent by event code', () => {
  it('has a test row for every code in the table, and no row for a code it lacks', () => {
    expect(Object.keys(EXPECTED_BY_CODE).sort()).toEqual(Object.keys(USPS_EVENT_CODES).sort());
  });

  it.each(Object.entries(EXPECTED_BY_CODE))('code %s → %j', (code, [status, substatus, reason]) => {
    const onUnmappedCode = vi.fn();
    // A wording no refinement knows, so the code row alone decides.
    expect(mapUspsEvent({ eventCode: code, eventType: 'Some Wording USPS Never Sent' }, onUnmappedCode)).toEqual({
      status,
      substatus,
      reason,
      mappedBy: 'event_code',
    });
    expect(onUnmappedCode).not.toHaveBeenCalled();
  });

  it.each<[string, string, Expected, string]>([
    ['01', 'Delivered, In/At Mailbox', ['delivered', 'delivered', null], 'the usual place for mail'],
    ['01', 'Delivered, Left with Individual', ['delivered', 'delivered', null], 'handed over at the address'],
    ['01', 'Delivered, Front Door/Porch', ['delivered', 'delivered_safe_place', null], 'left unattended'],
    [
      '01',
      'Delivered, Garage or Other Location at Address',
      ['delivered', 'delivered_safe_place', null],
      'left unattended',
    ],
    [
      '01',
      'Delivered, Parcel Locker',
      ['delivered', 'delivered_alternative_location', null],
      'USPS counts a cluster-box locker as delivered; the key is in the mailbox, so not "available for pickup"',
    ],
    ['01', 'Delivered, PO Box', ['delivered', 'delivered_po_box', null], 'PO box'],
    [
      '01',
      'Delivered, Front Desk/Reception/Mail Room',
      ['delivered', 'delivered_to_alternate_recipient', null],
      'staff received it',
    ],
    ['01', 'Delivered, To Mail Room', ['delivered', 'delivered_to_alternate_recipient', null], 'staff received it'],
    ['01', 'Delivered, To Agent', ['delivered', 'delivered_to_alternate_recipient', null], 'an agent received it'],
    [
      '01',
      'Delivered, Individual Picked Up at Post Office',
      ['delivered', 'collected_from_pickup_point', null],
      'collected at the counter',
    ],
    [
      '01',
      'Delivered, To Original Sender',
      ['return_to_sender', 'returned', null],
      '"delivered" to the shipper ends a return; it must not read as a delivery',
    ],
    [
      '02',
      'Notice Left (No Authorized Recipient Available)',
      ['attempt_failed', 'recipient_unavailable', 'consignee_not_home'],
      'the bracket says why',
    ],
    [
      '02',
      'Notice Left (No Secure Location Available)',
      ['attempt_failed', 'attempted', 'consignee_safe_place_unavailable'],
      'nowhere safe to leave it',
    ],
    [
      '02',
      'Notice Left (Business Closed)',
      ['attempt_failed', 'business_closed', 'consignee_business_closed'],
      'closed',
    ],
  ])('code %s + "%s" → %j (%s)', (code, eventType, [status, substatus, reason]) => {
    expect(mapUspsEvent({ eventCode: code, eventType })).toEqual({
      status,
      substatus,
      reason,
      mappedBy: 'event_code_and_type',
    });
  });

  it('matches the wording whatever its case, spacing or markup', () => {
    expect(
      mapUspsEvent({ eventCode: '01', eventType: '  DELIVERED,   parcel locker<SUP>&#174;</SUP> ' }),
    ).toMatchObject({
      substatus: 'delivered_alternative_location',
    });
  });

  it('does not let a wording refine another code (the refinements belong to their code)', () => {
    expect(mapUspsEvent({ eventCode: 'OF', eventType: 'Delivered, To Original Sender' })).toMatchObject({
      status: 'out_for_delivery',
      mappedBy: 'event_code',
    });
  });

  it.each([
    [1, '01'],
    ['1', '01'],
    [' of ', 'OF'],
    ['gx', 'GX'],
    ['', null],
    [null, null],
    [undefined, null],
  ])('normalises the code %j to %j', (raw, code) => {
    expect(normaliseUspsEventCode(raw)).toBe(code);
  });
});

describe('mapUspsEvent for codes the table lacks', () => {
  it('is unknown, never a guess, and reports the code', () => {
    const onUnmappedCode = vi.fn();
    expect(mapUspsEvent({ eventCode: 'Q7', eventType: 'Held for Inspection Review' }, onUnmappedCode)).toEqual({
      status: 'unknown',
      substatus: 'unmapped_carrier_status',
      reason: null,
      mappedBy: 'unmapped',
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('Q7');
  });

  it.each(['32', '33', '34', '35'])('leaves %s unknown: no primary source says what it means', (code) => {
    expect(mapUspsEvent({ eventCode: code, eventType: null })).toMatchObject({ status: 'unknown' });
  });

  it('falls back to the exact wording, and still reports the code so the table can grow', () => {
    const onUnmappedCode = vi.fn();
    expect(mapUspsEvent({ eventCode: 'ZZ', eventType: 'Arrived at USPS Regional Facility' }, onUnmappedCode)).toEqual({
      status: 'in_transit',
      substatus: 'arrived_at_facility',
      reason: null,
      mappedBy: 'event_type',
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('ZZ');
  });

  it('does not read a wording by substring ("Delivery Attempted" is not delivered)', () => {
    expect(mapUspsEvent({ eventCode: 'ZZ', eventType: 'Delivery Attempted, Will Retry' })).toMatchObject({
      status: 'unknown',
    });
  });

  it('reports a code-less event by its wording', () => {
    const onUnmappedCode = vi.fn();
    expect(mapUspsEvent({ eventCode: null, eventType: 'Mystery Scan' }, onUnmappedCode)).toMatchObject({
      status: 'unknown',
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('eventType:Mystery Scan');
  });

  it('maps a code-less event by its wording without reporting anything', () => {
    const onUnmappedCode = vi.fn();
    expect(mapUspsEvent({ eventCode: null, eventType: 'Label Cancelled' }, onUnmappedCode)).toEqual({
      status: 'cancelled',
      substatus: 'label_voided',
      reason: null,
      mappedBy: 'event_type',
    });
    expect(onUnmappedCode).not.toHaveBeenCalled();
  });

  it.each<[string, Expected, string]>([
    ['In Transit, Arriving Late', ['exception', 'delayed', null], "USPS's own verdict that the promise will be missed"],
    ['Held in Customs', ['exception', 'customs_hold', 'customs_inspection'], 'international hold'],
    ['Customs Clearance Processing Complete', ['in_transit', 'customs_cleared', null], 'released'],
    [
      'Held at Post Office, At Customer Request',
      ['available_for_pickup', 'ready_at_post_office', null],
      'held for collection',
    ],
    ['Picked Up by Agent', ['delivered', 'collected_from_pickup_point', null], 'same as code 17'],
    ['Return to Sender Processed', ['return_to_sender', 'returning', null], 'on its way back'],
  ])('wording "%s" → %j (%s)', (eventType, [status, substatus, reason]) => {
    expect(mapUspsEvent({ eventCode: undefined, eventType })).toEqual({
      status,
      substatus,
      reason,
      mappedBy: 'event_type',
    });
  });
});

describe('mapUspsStatusCategory', () => {
  it.each<[string, Expected, string]>([
    ['Pre-Shipment', ['info_received', 'label_created', null], 'label only'],
    ['Accepted', ['in_transit', 'picked_up', null], 'USPS has it'],
    ['Moving Through Network', ['in_transit', 'in_transit', null], 'seen in recorded answers'],
    ['In Transit', ['in_transit', 'in_transit', null], 'older wording'],
    ['Out for Delivery', ['out_for_delivery', 'out_for_delivery', null], ''],
    ['Delivered', ['delivered', 'delivered', null], ''],
    ['Available for Pickup', ['available_for_pickup', 'ready_at_pickup_point', null], 'where is not said'],
    ['Delivery Attempt', ['attempt_failed', 'attempted', null], ''],
    ['Alert', ['exception', 'exception_other', null], 'USPS files every problem under Alert'],
  ])('"%s" → %j %s', (category, [status, substatus, reason]) => {
    expect(mapUspsStatusCategory(category)).toEqual({ status, substatus, reason, mappedBy: 'status_category' });
  });

  it('reports an unknown category and maps it to unknown', () => {
    const onUnmappedCode = vi.fn();
    expect(mapUspsStatusCategory('Teleported', onUnmappedCode)).toMatchObject({ status: 'unknown' });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('statusCategory:Teleported');
  });
});

describe('USPS_TRACKING_ERRORS', () => {
  it.each<[string, 'not_found_yet' | 'invalid_number', string]>([
    ['150001', 'not_found_yet', 'the shipper has not handed it over yet'],
    ['150002', 'not_found_yet', '"incorrect OR not yet available": USPS cannot tell, so keep polling until our expiry'],
    ['150003', 'not_found_yet', 'shipped from a Post Office, no scan yet'],
    ['150004', 'invalid_number', 'USPS will never show tracking for it online'],
    ['150008', 'invalid_number', 'product or country without tracking'],
    ['150009', 'not_found_yet', 'not yet available'],
    ['150010', 'invalid_number', 'another carrier or shipper'],
    ['150011', 'invalid_number', 'a pickup confirmation, not a parcel'],
    ['150012', 'not_found_yet', 'a real parcel held for postage; no events to report, the message is kept'],
  ])('%s → %s (%s)', (code, kind) => {
    expect(USPS_TRACKING_ERRORS[code]?.kind).toBe(kind);
  });

  it('has exactly the rows tested above', () => {
    expect(Object.keys(USPS_TRACKING_ERRORS).sort()).toEqual(
      ['150001', '150002', '150003', '150004', '150008', '150009', '150010', '150011', '150012'].sort(),
    );
  });
});
