import { describe, expect, it, vi } from 'vitest';

import {
  INCIDENT_REASONS,
  isSubstatusAllowedUnder,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
import {
  SHIPPO_STATUSES,
  SHIPPO_STATUS_MAP,
  SHIPPO_SUBSTATUS_MAP,
  resolveShippoStatus,
  type ShippoStatusRow,
} from './shippo.status-map.js';

/** docs.goshippo.com "Event Definitions": substatus codes by the status they belong to. */
const DOCUMENTED_SUBSTATUSES: Record<string, string[]> = {
  PRE_TRANSIT: ['information_received'],
  TRANSIT: [
    'address_issue',
    'contact_carrier',
    'delayed',
    'delivery_attempted',
    'delivery_rescheduled',
    'delivery_scheduled',
    'location_inaccessible',
    'notice_left',
    'out_for_delivery',
    'package_accepted',
    'package_arrived',
    'package_damaged',
    'package_departed',
    'package_forwarded',
    'package_held',
    'package_processed',
    'package_processing',
    'pickup_available',
    'reschedule_delivery',
  ],
  DELIVERED: ['delivered'],
  RETURNED: ['return_to_sender', 'package_unclaimed'],
  FAILURE: ['package_undeliverable', 'package_disposed', 'package_lost'],
  UNKNOWN: ['other'],
};

function expectValidRow(row: ShippoStatusRow): void {
  expect(isSubstatusAllowedUnder(row.substatus, row.status)).toBe(true);
  if (row.reason) expect(INCIDENT_REASONS).toContain(row.reason);
}

type Expected = [ShippingStatus, Substatus, IncidentReason | null];

describe('Shippo status tables', () => {
  it('should map the six documented statuses', () => {
    expect(Object.keys(SHIPPO_STATUS_MAP).sort()).toEqual([...SHIPPO_STATUSES].sort());
  });

  it('should map every documented substatus under the status Shippo defines it under', () => {
    const parents = Object.fromEntries(Object.entries(SHIPPO_SUBSTATUS_MAP).map(([code, row]) => [code, row.parent]));
    const documented = Object.fromEntries(
      Object.entries(DOCUMENTED_SUBSTATUSES).flatMap(([parent, codes]) => codes.map((code) => [code, parent])),
    );
    expect(parents).toEqual(documented);
  });

  it('should only hold rows whose substatus is valid under their status', () => {
    for (const row of Object.values(SHIPPO_STATUS_MAP)) expectValidRow(row);
    for (const row of Object.values(SHIPPO_SUBSTATUS_MAP)) expectValidRow(row);
  });
});

describe('resolveShippoStatus, status rows (no substatus)', () => {
  const cases: [string, Expected, string?][] = [
    ['UNKNOWN', ['unknown', 'unmapped_carrier_status', null]],
    ['PRE_TRANSIT', ['info_received', 'label_created', null]],
    ['TRANSIT', ['in_transit', 'in_transit', null], 'without a substatus only "moving" is known'],
    ['DELIVERED', ['delivered', 'delivered', null]],
    ['RETURNED', ['return_to_sender', 'returning', null]],
    ['FAILURE', ['failure', 'undeliverable', null]],
  ];
  it.each(cases)('%s → %j %s', (status, [unified, substatus, reason]) => {
    expect(resolveShippoStatus(status, null)).toEqual({ status: unified, substatus, reason });
  });
});

describe('resolveShippoStatus, substatus rows', () => {
  const cases: [string, Expected, string?][] = [
    ['information_received', ['info_received', 'label_created', null]],
    ['package_accepted', ['in_transit', 'picked_up', null]],
    ['package_arrived', ['in_transit', 'arrived_at_facility', null]],
    ['package_departed', ['in_transit', 'departed_facility', null]],
    ['package_processing', ['in_transit', 'processed_at_facility', null]],
    ['package_processed', ['in_transit', 'processed_at_facility', null]],
    ['package_forwarded', ['in_transit', 'forwarded', null]],
    ['delivery_scheduled', ['in_transit', 'delivery_scheduled', null]],
    ['delivery_rescheduled', ['in_transit', 'delivery_rescheduled', null]],
    ['out_for_delivery', ['out_for_delivery', 'out_for_delivery', null], 'a TRANSIT substatus in Shippo'],
    ['pickup_available', ['available_for_pickup', 'ready_at_pickup_point', null], 'a TRANSIT substatus in Shippo'],
    ['delivery_attempted', ['attempt_failed', 'attempted', null], 'a TRANSIT substatus in Shippo'],
    ['notice_left', ['attempt_failed', 'notice_left', null]],
    ['location_inaccessible', ['attempt_failed', 'location_inaccessible', 'consignee_access_restricted']],
    [
      'reschedule_delivery',
      ['attempt_failed', 'reschedule_required', null],
      'the recipient must arrange a new attempt',
    ],
    ['address_issue', ['exception', 'address_issue', 'consignee_incorrect_address']],
    ['contact_carrier', ['exception', 'exception_other', null], 'Shippo names no cause'],
    ['delayed', ['exception', 'delayed', null]],
    ['package_damaged', ['exception', 'damaged', 'carrier_damaged_parcel']],
    ['package_held', ['exception', 'held_by_carrier', null]],
    ['delivered', ['delivered', 'delivered', null]],
    ['return_to_sender', ['return_to_sender', 'returning', null]],
    [
      'package_unclaimed',
      ['exception', 'unclaimed', 'consignee_not_available'],
      'filed under RETURNED, but the recipient can still collect it: not yet a return',
    ],
    ['package_undeliverable', ['failure', 'undeliverable', null]],
    ['package_disposed', ['failure', 'destroyed_disposed', null]],
    ['package_lost', ['failure', 'lost', 'carrier_parcel_lost']],
    ['other', ['unknown', 'unmapped_carrier_status', null], 'Shippo’s own "could not classify"'],
  ];

  it('should have a case for every substatus row', () => {
    expect(cases.map(([code]) => code).sort()).toEqual(Object.keys(SHIPPO_SUBSTATUS_MAP).sort());
  });

  it.each(cases)('%s → %j %s', (code, [status, substatus, reason]) => {
    const parent = SHIPPO_SUBSTATUS_MAP[code]!.parent;
    expect(resolveShippoStatus(parent, code)).toEqual({ status, substatus, reason });
  });
});

describe('resolveShippoStatus, unknown and contradictory codes', () => {
  it('should give unknown / unmapped_carrier_status for a new substatus, never TRANSIT’s guess', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveShippoStatus('TRANSIT', 'package_redirected_to_locker', onUnmappedCode)).toEqual({
      status: 'unknown',
      substatus: 'unmapped_carrier_status',
      reason: null,
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('package_redirected_to_locker');
  });

  it('should report a new status and give unknown', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveShippoStatus('IN_CUSTOMS', null, onUnmappedCode).status).toBe('unknown');
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('IN_CUSTOMS');
  });

  it('should let the status decide when the substatus belongs to another status, and report the pair', () => {
    // Shippo's own documentation example pairs DELIVERED with information_received.
    const onUnmappedCode = vi.fn();
    expect(resolveShippoStatus('DELIVERED', 'information_received', onUnmappedCode)).toEqual({
      status: 'delivered',
      substatus: 'delivered',
      reason: null,
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('DELIVERED/information_received');
  });

  it('should use a known substatus when the status is missing', () => {
    expect(resolveShippoStatus(null, 'notice_left').substatus).toBe('notice_left');
  });

  it('should not mistake inherited object keys for table rows', () => {
    expect(resolveShippoStatus('constructor', null).status).toBe('unknown');
    expect(resolveShippoStatus('TRANSIT', 'hasOwnProperty').status).toBe('unknown');
  });
});
