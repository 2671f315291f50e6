import { describe, expect, it, vi } from 'vitest';

import {
  INCIDENT_REASONS,
  isSubstatusAllowedUnder,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
import {
  EASYPOST_STATUS_DETAIL_MAP,
  EASYPOST_STATUS_MAP,
  resolveEasyPostStatus,
  type EasyPostStatusRow,
} from './easypost.status-map.js';

/** docs.easypost.com/docs/trackers, Tracker `status`. */
const DOCUMENTED_STATUSES = [
  'unknown',
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'available_for_pickup',
  'return_to_sender',
  'failure',
  'cancelled',
  'error',
];

/** docs.easypost.com/docs/trackers, Tracker `status_detail` (28 values). */
const DOCUMENTED_DETAILS = [
  'address_correction',
  'arrived_at_destination',
  'arrived_at_facility',
  'arrived_at_pickup_location',
  'awaiting_information',
  'cancelled',
  'damaged',
  'delayed',
  'delivery_exception',
  'departed_facility',
  'departed_origin_facility',
  'expired',
  'failure',
  'held',
  'in_transit',
  'label_created',
  'lost',
  'missorted',
  'out_for_delivery',
  'received_at_destination_facility',
  'received_at_origin_facility',
  'refused',
  'return',
  'status_update',
  'transferred_to_destination_carrier',
  'transit_exception',
  'unknown',
  'weather_delay',
];

function expectValidRow(row: EasyPostStatusRow): void {
  expect(isSubstatusAllowedUnder(row.substatus, row.status)).toBe(true);
  if (row.reason !== undefined) expect(INCIDENT_REASONS).toContain(row.reason);
}

type Expected = [ShippingStatus, Substatus, IncidentReason | null];

describe('EasyPost status tables', () => {
  it('should cover every documented status and status_detail, and nothing else', () => {
    expect(Object.keys(EASYPOST_STATUS_MAP).sort()).toEqual([...DOCUMENTED_STATUSES].sort());
    expect(Object.keys(EASYPOST_STATUS_DETAIL_MAP).sort()).toEqual([...DOCUMENTED_DETAILS].sort());
  });

  it('should only hold rows whose substatus is valid under their status', () => {
    for (const row of Object.values(EASYPOST_STATUS_MAP)) expectValidRow(row);
    for (const row of Object.values(EASYPOST_STATUS_DETAIL_MAP)) if (row) expectValidRow(row);
  });

  it('should treat only the catch-all details as saying nothing beyond the status', () => {
    const catchAll = Object.entries(EASYPOST_STATUS_DETAIL_MAP)
      .filter(([, row]) => row === null)
      .map(([detail]) => detail);
    expect(catchAll.sort()).toEqual(['status_update', 'unknown']);
  });

  it('should resolve every status × detail pair to a combination the taxonomy allows', () => {
    for (const status of DOCUMENTED_STATUSES) {
      for (const detail of [null, ...DOCUMENTED_DETAILS]) {
        const resolved = resolveEasyPostStatus(status, detail);
        expect(isSubstatusAllowedUnder(resolved.substatus, resolved.status), `${status}/${detail}`).toBe(true);
        if (resolved.reason !== null) expect(INCIDENT_REASONS).toContain(resolved.reason);
      }
    }
  });
});

describe('resolveEasyPostStatus, status rows (no status_detail)', () => {
  const cases: [string, Expected, string?][] = [
    ['unknown', ['unknown', 'unmapped_carrier_status', null], 'EasyPost could not classify the update'],
    ['pre_transit', ['info_received', 'label_created', null]],
    ['in_transit', ['in_transit', 'in_transit', null]],
    ['out_for_delivery', ['out_for_delivery', 'out_for_delivery', null]],
    ['delivered', ['delivered', 'delivered', null]],
    ['available_for_pickup', ['available_for_pickup', 'ready_at_pickup_point', null]],
    ['return_to_sender', ['return_to_sender', 'returning', null]],
    [
      'failure',
      ['exception', 'exception_other', null],
      'EasyPost uses failure for weather holds that resume; lost/undeliverable come with a detail',
    ],
    ['cancelled', ['cancelled', 'cancelled', null]],
    ['error', ['unknown', 'tracking_error', null], 'EasyPost could not track the code at all'],
  ];
  it.each(cases)('%s → %j %s', (status, [unified, substatus, reason]) => {
    expect(resolveEasyPostStatus(status, null)).toEqual({ status: unified, substatus, reason });
  });
});

describe('resolveEasyPostStatus, status_detail rows under their natural status', () => {
  const cases: [string, string, Expected, string?][] = [
    ['in_transit', 'address_correction', ['in_transit', 'address_corrected', null]],
    ['delivered', 'arrived_at_destination', ['delivered', 'arrived_at_destination', null]],
    ['in_transit', 'arrived_at_facility', ['in_transit', 'arrived_at_facility', null]],
    ['available_for_pickup', 'arrived_at_pickup_location', ['available_for_pickup', 'ready_at_pickup_point', null]],
    ['pre_transit', 'awaiting_information', ['info_received', 'awaiting_information', null]],
    ['cancelled', 'cancelled', ['cancelled', 'cancelled', null]],
    ['failure', 'damaged', ['exception', 'damaged', 'carrier_damaged_parcel']],
    ['failure', 'delayed', ['exception', 'delayed', null]],
    ['failure', 'delivery_exception', ['exception', 'exception_other', null]],
    ['in_transit', 'departed_facility', ['in_transit', 'departed_facility', null]],
    ['in_transit', 'departed_origin_facility', ['in_transit', 'departed_facility', null]],
    ['failure', 'expired', ['expired', 'no_updates_timeout', null], 'EasyPost stopped tracking without an end'],
    ['failure', 'failure', ['failure', 'undeliverable', null], 'the detail confirms the failure is final'],
    ['failure', 'held', ['exception', 'held_by_carrier', null]],
    ['in_transit', 'in_transit', ['in_transit', 'in_transit', null]],
    ['pre_transit', 'label_created', ['info_received', 'label_created', null]],
    ['failure', 'lost', ['failure', 'lost', 'carrier_parcel_lost']],
    ['in_transit', 'missorted', ['exception', 'delayed_carrier_processing', 'carrier_sorting_error']],
    ['out_for_delivery', 'out_for_delivery', ['out_for_delivery', 'out_for_delivery', null]],
    ['in_transit', 'received_at_destination_facility', ['in_transit', 'at_local_delivery_depot', null]],
    ['in_transit', 'received_at_origin_facility', ['in_transit', 'arrived_at_facility', null]],
    ['failure', 'refused', ['exception', 'refused', 'consignee_refused']],
    ['return_to_sender', 'return', ['return_to_sender', 'returning', null]],
    ['pre_transit', 'status_update', ['info_received', 'label_created', null], 'catch-all: the status decides'],
    ['in_transit', 'transferred_to_destination_carrier', ['in_transit', 'transferred_to_partner_carrier', null]],
    ['in_transit', 'transit_exception', ['exception', 'exception_other', null]],
    ['in_transit', 'unknown', ['in_transit', 'in_transit', null], 'catch-all: the status decides'],
    ['failure', 'weather_delay', ['exception', 'delayed_weather', 'weather_delay']],
  ];
  it('should have a case for every detail row', () => {
    expect(cases.map(([, detail]) => detail).sort()).toEqual([...DOCUMENTED_DETAILS].sort());
  });
  it.each(cases)('%s/%s → %j %s', (status, detail, [unified, substatus, reason]) => {
    expect(resolveEasyPostStatus(status, detail)).toEqual({ status: unified, substatus, reason });
  });
});

describe('resolveEasyPostStatus, when the status and the detail disagree', () => {
  const cases: [string, string, Expected, string][] = [
    [
      'in_transit',
      'weather_delay',
      ['exception', 'delayed_weather', 'weather_delay'],
      'a problem detail moves a milder headline (status follows meaning)',
    ],
    [
      'return_to_sender',
      'refused',
      ['return_to_sender', 'returning', 'consignee_refused'],
      'the parcel is going back; the detail only says why',
    ],
    [
      'delivered',
      'damaged',
      ['delivered', 'delivered', 'carrier_damaged_parcel'],
      'a detail never undoes a delivery; the damage stays as the reason',
    ],
    [
      'in_transit',
      'arrived_at_destination',
      ['in_transit', 'in_transit', null],
      'a progress detail never promotes to delivered on its own',
    ],
    [
      'in_transit',
      'arrived_at_pickup_location',
      ['in_transit', 'in_transit', null],
      'only EasyPost’s own available_for_pickup status says the parcel can be collected',
    ],
    [
      'unknown',
      'arrived_at_facility',
      ['in_transit', 'arrived_at_facility', null],
      'EasyPost’s unknown headline cannot contradict a specific detail',
    ],
    [
      'pre_transit',
      'cancelled',
      ['cancelled', 'cancelled', null],
      'a label voided before pickup (TAXONOMY rule 2: any → cancelled)',
    ],
    [
      'delivered',
      'return',
      ['delivered', 'delivered', null],
      'a return after delivery arrives as EasyPost status return_to_sender, not as a detail',
    ],
  ];
  it.each(cases)('%s/%s → %j (%s)', (status, detail, [unified, substatus, reason]) => {
    expect(resolveEasyPostStatus(status, detail)).toEqual({ status: unified, substatus, reason });
  });
});

describe('resolveEasyPostStatus, unknown codes', () => {
  it('should give unknown / unmapped_carrier_status for a new status_detail, never the status’s guess', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveEasyPostStatus('in_transit', 'drone_staging', onUnmappedCode)).toEqual({
      status: 'unknown',
      substatus: 'unmapped_carrier_status',
      reason: null,
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('drone_staging');
  });

  it('should give unknown / unmapped_carrier_status for a new status and report it', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveEasyPostStatus('teleported', null, onUnmappedCode).substatus).toBe('unmapped_carrier_status');
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('teleported');
  });

  it('should keep a known detail when only the status is new', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveEasyPostStatus('teleported', 'lost', onUnmappedCode)).toEqual({
      status: 'failure',
      substatus: 'lost',
      reason: 'carrier_parcel_lost',
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('teleported');
  });

  it('should not mistake inherited object keys for table rows', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveEasyPostStatus('toString', 'constructor', onUnmappedCode).status).toBe('unknown');
    expect(onUnmappedCode.mock.calls).toEqual([['toString'], ['constructor']]);
  });

  it('should give unknown without reporting anything when EasyPost sends neither field', () => {
    const onUnmappedCode = vi.fn();
    expect(resolveEasyPostStatus(null, null, onUnmappedCode).status).toBe('unknown');
    expect(onUnmappedCode).not.toHaveBeenCalled();
  });
});
