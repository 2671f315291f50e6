import { describe, expect, it, vi } from 'vitest';

import {
  INCIDENT_REASONS,
  isSubstatusAllowedUnder,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
import { countryToAlpha2 } from './aftership.country-codes.js';
import {
  AFTERSHIP_SUBTAG_MAP,
  AFTERSHIP_TAG_MAP,
  afterShipSubtagTag,
  resolveAfterShipStatus,
  type AfterShipStatusRow,
} from './aftership.status-map.js';

const TAGS = [
  'Pending',
  'InfoReceived',
  'InTransit',
  'OutForDelivery',
  'AttemptFail',
  'Delivered',
  'AvailableForPickup',
  'Exception',
  'Expired',
];

function expectValidRow(row: AfterShipStatusRow): void {
  expect(isSubstatusAllowedUnder(row.substatus, row.status)).toBe(true);
  if (row.reason) expect(INCIDENT_REASONS).toContain(row.reason);
}

type Expected = [ShippingStatus, Substatus, IncidentReason | null];

describe('AfterShip status tables', () => {
  it('should map exactly the nine documented tags', () => {
    expect(Object.keys(AFTERSHIP_TAG_MAP).sort()).toEqual([...TAGS].sort());
  });

  it('should only hold rows whose substatus is valid under their status', () => {
    for (const row of Object.values(AFTERSHIP_TAG_MAP)) expectValidRow(row);
    for (const row of Object.values(AFTERSHIP_SUBTAG_MAP)) expectValidRow(row);
  });

  it('should file every subtag under one of the documented tags', () => {
    for (const subtag of Object.keys(AFTERSHIP_SUBTAG_MAP)) {
      expect(TAGS, subtag).toContain(afterShipSubtagTag(subtag));
      expect(subtag).toMatch(/^[A-Za-z]+_\d{3}$/);
    }
  });

  it('should leave Exception_014 and Exception_015 out until their meaning is published', () => {
    expect(Object.hasOwn(AFTERSHIP_SUBTAG_MAP, 'Exception_014')).toBe(false);
    expect(Object.hasOwn(AFTERSHIP_SUBTAG_MAP, 'Exception_015')).toBe(false);
  });
});

describe('resolveAfterShipStatus, tag rows (no subtag)', () => {
  const cases: [string, Expected, string?][] = [
    ['Pending', ['pending', 'registered', null]],
    ['InfoReceived', ['info_received', 'label_created', null]],
    ['InTransit', ['in_transit', 'in_transit', null]],
    ['OutForDelivery', ['out_for_delivery', 'out_for_delivery', null]],
    ['AttemptFail', ['attempt_failed', 'attempted', null]],
    ['Delivered', ['delivered', 'delivered', null]],
    ['AvailableForPickup', ['available_for_pickup', 'ready_at_pickup_point', null]],
    ['Exception', ['exception', 'exception_other', null]],
    ['Expired', ['expired', 'no_updates_timeout', null], 'AfterShip’s 30-day cut-off is the same rule as ours'],
  ];
  it.each(cases)('%s → %j %s', (tag, [status, substatus, reason]) => {
    expect(resolveAfterShipStatus(tag, null)).toEqual({ status, substatus, reason });
  });
});

describe('resolveAfterShipStatus, subtag rows', () => {
  const cases: [string, Expected, string?][] = [
    ['Pending_001', ['pending', 'registered', null]],
    ['Pending_002', ['pending', 'registered', null], 'message unpublished; every Pending subtag is "not tracked yet"'],
    ['Pending_003', ['pending', 'registered', null]],
    ['Pending_004', ['pending', 'registered', null]],
    ['Pending_005', ['pending', 'registered', null]],
    ['Pending_006', ['pending', 'registered', null]],
    ['InfoReceived_001', ['info_received', 'label_created', null]],
    ['InTransit_001', ['in_transit', 'in_transit', null]],
    ['InTransit_002', ['in_transit', 'picked_up', null], 'Acceptance scan'],
    ['InTransit_003', ['in_transit', 'arrived_at_facility', null], 'Arrival scan'],
    ['InTransit_004', ['in_transit', 'arrived_destination_country', null]],
    ['InTransit_005', ['in_transit', 'customs_cleared', null]],
    ['InTransit_006', ['in_transit', 'customs_processing', null], 'Customs clearance started'],
    ['InTransit_007', ['in_transit', 'departed_facility', null], 'Departure scan'],
    ['InTransit_008', ['in_transit', 'problem_resolved', null]],
    ['InTransit_009', ['in_transit', 'forwarded', null]],
    ['OutForDelivery_001', ['out_for_delivery', 'out_for_delivery', null]],
    [
      'OutForDelivery_002',
      ['available_for_pickup', 'ready_at_pickup_point', null],
      'legacy "Available for pickup" filed under OutForDelivery',
    ],
    ['OutForDelivery_003', ['out_for_delivery', 'customer_contacted', null]],
    ['OutForDelivery_004', ['out_for_delivery', 'appointment_scheduled', null]],
    ['AttemptFail_001', ['attempt_failed', 'attempted', null]],
    ['AttemptFail_002', ['attempt_failed', 'recipient_unavailable', 'consignee_not_home']],
    ['AttemptFail_003', ['attempt_failed', 'business_closed', 'consignee_business_closed']],
    ['Delivered_001', ['delivered', 'delivered', null]],
    ['Delivered_002', ['delivered', 'collected_from_pickup_point', null], 'Picked up by the customer'],
    ['Delivered_003', ['delivered', 'signed_for', null]],
    ['Delivered_004', ['delivered', 'cod_collected', null]],
    ['Delivered_005', ['delivered', 'delivered_to_alternate_recipient', null], 'Delivered to neighbor'],
    ['AvailableForPickup_001', ['available_for_pickup', 'ready_at_pickup_point', null]],
    ['Exception_001', ['exception', 'exception_other', null]],
    ['Exception_002', ['exception', 'recipient_moved', 'consignee_incorrect_address']],
    ['Exception_003', ['exception', 'refused', 'consignee_refused']],
    ['Exception_004', ['exception', 'customs_hold', 'customs_delay'], 'a customs delay, not necessarily an inspection'],
    ['Exception_005', ['exception', 'delayed', null], 'Delayed (External factors): AfterShip names no party'],
    ['Exception_006', ['exception', 'payment_due', 'customs_duties_unpaid']],
    ['Exception_007', ['exception', 'address_issue', 'consignee_incorrect_address']],
    [
      'Exception_008',
      ['exception', 'unclaimed', 'consignee_not_available'],
      'Pick up missed: waiting at the pickup point, not collected',
    ],
    ['Exception_009', ['exception', 'rejected_by_carrier', 'retailer_packaging_issue']],
    ['Exception_010', ['return_to_sender', 'returning', null], 'AfterShip files returns under Exception'],
    ['Exception_011', ['return_to_sender', 'returned', null], 'AfterShip files returns under Exception'],
    ['Exception_012', ['exception', 'damaged', 'carrier_damaged_parcel']],
    ['Exception_013', ['failure', 'lost', 'carrier_parcel_lost'], 'a lost parcel will not be delivered'],
    [
      'Exception_016',
      ['exception', 'delayed_carrier_processing', 'carrier_sorting_error'],
      'Delayed (Processing issue)',
    ],
    ['Exception_017', ['exception', 'delayed_weather', 'weather_delay']],
    ['Exception_018', ['exception', 'customs_info_required', 'customs_documentation'], 'Incorrect / missing documents'],
    ['Exception_019', ['exception', 'delayed', null], 'Delayed (Late flight)'],
    ['Exception_020', ['cancelled', 'cancelled', null], 'voided or cancelled by the sender or carrier'],
    ['Exception_021', ['failure', 'destroyed_disposed', null], 'Shipment disposed'],
    ['Expired_001', ['expired', 'no_updates_timeout', null]],
  ];

  it('should have a case for every subtag row', () => {
    expect(cases.map(([subtag]) => subtag).sort()).toEqual(Object.keys(AFTERSHIP_SUBTAG_MAP).sort());
  });

  it.each(cases)('%s → %j %s', (subtag, [status, substatus, reason]) => {
    expect(resolveAfterShipStatus(afterShipSubtagTag(subtag), subtag)).toEqual({ status, substatus, reason });
    expect(resolveAfterShipStatus(null, subtag)).toEqual({ status, substatus, reason });
  });
});

describe('resolveAfterShipStatus, unknown and contradictory codes', () => {
  it('should give unknown / unmapped_carrier_status for a new subtag, never the tag’s guess', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveAfterShipStatus('Exception', 'Exception_014', onUnmappedCode)).toEqual({
      status: 'unknown',
      substatus: 'unmapped_carrier_status',
      reason: null,
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('Exception_014');
  });

  it('should report a new tag, and still use a known subtag', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveAfterShipStatus('Returned', null, onUnmappedCode).substatus).toBe('unmapped_carrier_status');
    expect(resolveAfterShipStatus('Returned', 'Exception_011', onUnmappedCode).substatus).toBe('returned');
    expect(onUnmappedCode.mock.calls).toEqual([['Returned'], ['Returned']]);
  });

  it('should let the tag decide when the subtag belongs to another tag, and report the pair', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveAfterShipStatus('InTransit', 'Delivered_001', onUnmappedCode)).toEqual({
      status: 'in_transit',
      substatus: 'in_transit',
      reason: null,
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('InTransit/Delivered_001');
  });

  it('should not mistake inherited object keys for table rows', () => {
    expect(resolveAfterShipStatus('constructor', null).status).toBe('unknown');
    expect(resolveAfterShipStatus(null, 'toString').status).toBe('unknown');
  });
});

describe('countryToAlpha2', () => {
  it.each([
    ['USA', 'US'],
    ['GBR', 'GB'],
    ['DEU', 'DE'],
    ['HKG', 'HK'],
    ['deu', 'DE'],
    ['XKX', 'XK'],
    ['FR', 'FR'],
    ['ZZZ', null],
    ['United States', null],
    ['', null],
    [null, null],
  ])('%s → %s', (code, expected) => {
    expect(countryToAlpha2(code)).toBe(expected);
  });
});
