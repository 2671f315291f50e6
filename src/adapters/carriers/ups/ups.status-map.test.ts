import { describe, expect, it, vi } from 'vitest';
import {
  isIncidentReason,
  isSubstatusAllowedUnder,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
import {
  mapUpsActivityStatus,
  normaliseUpsStatusCode,
  UPS_ACTIVITY_TYPE_MAP,
  UPS_ATTEMPT_DESCRIPTION_RULES,
  UPS_DELIVERY_CODE_SUBSTATUS,
  UPS_EXCEPTION_DESCRIPTION_RULES,
  UPS_MOVEMENT_SCAN_SUBSTATUS,
  UPS_STATUS_CODE_MAP,
  type UpsStatusRow,
} from './ups.status-map.js';

/** The 160 codes of UPS's "Status/Description Codes" appendix (no 001, 002, 004, 008, 009, 015, 031, 150–152). */
const UPS_PUBLISHED_STATUS_CODES =
  `000 003 005 006 007 010 011 012 013 014 016 017 018 019 020 021 022 023 024 025 026 027
028 029 030 032 033 034 035 036 037 038 039 040 041 042 043 044 045 046 047 048 049 050 051 052 053 054 055 056 057 058
059 060 061 062 063 064 065 066 067 068 069 070 071 072 073 074 075 076 077 078 079 080 081 082 083 084 085 086 087 088
089 090 091 092 093 094 095 096 097 098 099 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116 117 118
119 120 121 122 123 124 125 126 127 128 129 130 131 132 133 134 135 136 137 138 139 140 141 142 143 144 145 146 147 148
149 153 154 155 156 157 158 159 160 161 162 163 164 165 166 167 168 169`.split(/\s+/);

type ExpectedRow = {
  codes: string;
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  informational?: boolean;
  /** Why, for the rows a reader would not guess from UPS's wording. */
  why?: string;
};

/** Every code, row by row, grouped where UPS repeats itself. */
const EXPECTED: ExpectedRow[] = [
  { codes: '003 080 157 166', status: 'info_received', substatus: 'label_created', reason: null },
  {
    codes: '044 045 079',
    status: 'info_received',
    substatus: 'awaiting_carrier_pickup',
    reason: null,
    why: '"On the way to UPS": the shipper is bringing it; UPS does not have it yet',
  },
  {
    codes: '043',
    status: 'info_received',
    substatus: 'awaiting_carrier_pickup',
    reason: null,
    why: 'a voided pickup appointment, not a voided label: cancelled would be terminal and wrong',
  },
  {
    codes: '133',
    status: 'info_received',
    substatus: 'awaiting_carrier_pickup',
    reason: null,
    why: 'return service: the return label waits with the customer until UPS collects',
  },
  { codes: '077', status: 'info_received', substatus: 'carrier_pickup_scheduled', reason: null },
  { codes: '065 131 135', status: 'info_received', substatus: 'carrier_pickup_failed', reason: null },
  {
    codes: '005 010 025 039 047 087 138 158 159 164 165 016 073',
    status: 'in_transit',
    substatus: 'in_transit',
    reason: null,
  },
  { codes: '038 160 167 168 169', status: 'in_transit', substatus: 'picked_up', reason: null },
  {
    codes: '012 092',
    status: 'in_transit',
    substatus: 'customs_processing',
    reason: null,
    why: 'UPS types clearance X, but clearing customs is the normal path of an import, not an exception',
  },
  { codes: '014 084 134', status: 'in_transit', substatus: 'customs_cleared', reason: null },
  { codes: '071', status: 'in_transit', substatus: 'at_local_delivery_depot', reason: null },
  { codes: '074 137', status: 'in_transit', substatus: 'transferred_to_partner_carrier', reason: null },
  {
    codes: '143',
    status: 'in_transit',
    substatus: 'transferred_to_partner_carrier',
    reason: null,
    why: 'SurePost "Delivered to Agent" = handed to an agent for final delivery (delivery code F7), not delivered',
  },
  { codes: '057 100', status: 'in_transit', substatus: 'forwarded', reason: null },
  { codes: '028 096', status: 'in_transit', substatus: 'address_corrected', reason: null },
  { codes: '094', status: 'in_transit', substatus: 'problem_resolved', reason: null },
  { codes: '019 075 120', status: 'in_transit', substatus: 'delivery_scheduled', reason: null },
  { codes: '055 115 136', status: 'in_transit', substatus: 'delivery_rescheduled', reason: null },
  {
    codes: '095 153 154',
    status: 'in_transit',
    substatus: 'delivery_rescheduled',
    reason: null,
    informational: true,
    why: 'a request or a new date says nothing about where the parcel is: never the headline',
  },
  {
    codes:
      '018 020 027 041 042 054 056 063 082 097 098 099 101 102 103 104 105 106 107 108 109 110 111 112 113 114 116 121 122',
    status: 'in_transit',
    substatus: 'info_update',
    reason: null,
    informational: true,
    why: 'customer delivery-change requests and confirmations: true, but not a step of the journey',
  },
  {
    codes: '006 021 037 089 091 146 162 072 078',
    status: 'out_for_delivery',
    substatus: 'out_for_delivery',
    reason: null,
  },
  { codes: '040 161', status: 'available_for_pickup', substatus: 'ready_at_pickup_point', reason: null },
  { codes: '017', status: 'available_for_pickup', substatus: 'held_at_carrier_for_collection', reason: null },
  {
    codes: '144',
    status: 'available_for_pickup',
    substatus: 'ready_at_post_office',
    reason: null,
    why: '"Delivered to Post Office for Pickup": the receiver still has to collect it',
  },
  { codes: '022 023 024 060 066 145', status: 'attempt_failed', substatus: 'attempted', reason: null },
  {
    codes: '061',
    status: 'attempt_failed',
    substatus: 'recipient_unavailable',
    reason: 'consignee_not_available',
    why: 'adult signature required: nobody of age was there, no ID check failed',
  },
  {
    codes: '062',
    status: 'attempt_failed',
    substatus: 'payment_due',
    reason: null,
    why: '"funds" is COD as often as import duties: the default customs reason would mislead',
  },
  {
    codes: '139',
    status: 'attempt_failed',
    substatus: 'location_inaccessible',
    reason: 'consignee_access_restricted',
    why: 'the driver could not get in; the receiver can fix it (gate code, buzzer)',
  },
  { codes: '011 026', status: 'delivered', substatus: 'delivered', reason: null },
  {
    codes: '156',
    status: 'delivered',
    substatus: 'delivered',
    reason: null,
    why: "Commercial Inside Release: left inside a business on the receiver's release; recorded answers carry type D",
  },
  {
    codes: '155',
    status: 'delivered',
    substatus: 'delivered',
    reason: null,
    informational: true,
    why: 'the delivery photo follows the delivery scan; it must not be the delivery instant',
  },
  {
    codes: '013 029 030 069 076',
    status: 'exception',
    substatus: 'exception_other',
    reason: null,
    why: 'generic: the description names the problem (see the description rules)',
  },
  {
    codes: '033 119',
    status: 'exception',
    substatus: 'exception_other',
    reason: null,
    why: 'a return only requested can still be cancelled (114): no return yet',
  },
  { codes: '127 128 130 142', status: 'exception', substatus: 'exception_other', reason: null },
  { codes: '093 129', status: 'exception', substatus: 'exception_other', reason: 'parcel_being_researched' },
  { codes: '046 048 049 086 090', status: 'exception', substatus: 'delayed', reason: null },
  { codes: '070', status: 'exception', substatus: 'delayed', reason: null },
  { codes: '132', status: 'exception', substatus: 'delayed', reason: 'security_issue' },
  { codes: '032 051 052 053', status: 'exception', substatus: 'delayed_weather', reason: 'weather_delay' },
  { codes: '050', status: 'exception', substatus: 'address_issue', reason: 'consignee_incorrect_address' },
  {
    codes: '058 124 125 141',
    status: 'exception',
    substatus: 'customs_info_required',
    reason: 'customs_documentation',
  },
  { codes: '123', status: 'exception', substatus: 'customs_hold', reason: 'customs_delay' },
  {
    codes: '126',
    status: 'exception',
    substatus: 'customs_hold',
    reason: 'regulatory_hold',
    why: "a named agency hold (FDA, USDA…), unlike 012 which is UPS's own clearance headline",
  },
  { codes: '059', status: 'exception', substatus: 'damaged', reason: 'carrier_damaged_parcel' },
  {
    codes: '064',
    status: 'exception',
    substatus: 'refused',
    reason: 'consignee_refused',
    why: 'a refusal ends in a return, not in another attempt',
  },
  { codes: '083', status: 'exception', substatus: 'held_by_carrier', reason: null },
  {
    codes: '068',
    status: 'exception',
    substatus: 'held_by_carrier',
    reason: 'parcel_being_researched',
    why: 'lost and found holds parcels that lost their label until matched: held, not lost',
  },
  { codes: '085', status: 'exception', substatus: 'payment_due', reason: null, why: 'COD, not customs duties' },
  { codes: '034', status: 'return_to_sender', substatus: 'returned', reason: null },
  { codes: '035 036 117 118', status: 'return_to_sender', substatus: 'returning', reason: null },
  {
    codes: '067',
    status: 'return_to_sender',
    substatus: 'returning',
    reason: null,
    why: 'the post office sent it back; returned comes when UPS hands it to the shipper (034)',
  },
  { codes: '081', status: 'return_to_sender', substatus: 'returning', reason: 'carrier_damaged_parcel' },
  {
    codes: '140',
    status: 'failure',
    substatus: 'undeliverable',
    reason: null,
    why: 'a paid claim closes the shipment without delivery; UPS does not say loss or damage',
  },
  { codes: '147', status: 'failure', substatus: 'undeliverable', reason: 'regulatory_hold' },
  { codes: '149', status: 'failure', substatus: 'destroyed_disposed', reason: 'customs_prohibited' },
  { codes: '007', status: 'cancelled', substatus: 'label_voided', reason: null },
  {
    codes: '000 088 148 163',
    status: 'unknown',
    substatus: 'tracking_error',
    reason: null,
    why: 'UPS itself has no status ("Status Not Available", "Package Information Unavailable", "Test"): known codes, deliberately unknown, not reported as unmapped',
  },
];

const expectedRows = EXPECTED.flatMap((row) => row.codes.split(/\s+/).map((code) => ({ ...row, code })));

function reasonOf(row: UpsStatusRow): IncidentReason | null | undefined {
  return row.reason;
}

describe('UPS status code table', () => {
  it('covers exactly the 160 published UPS status codes, each expected once', () => {
    expect(Object.keys(UPS_STATUS_CODE_MAP).sort()).toEqual([...UPS_PUBLISHED_STATUS_CODES].sort());
    const expectedCodes = expectedRows.map((row) => row.code);
    expect(new Set(expectedCodes).size).toBe(expectedCodes.length);
    expect(expectedCodes.sort()).toEqual([...UPS_PUBLISHED_STATUS_CODES].sort());
  });

  it.each(Object.entries(UPS_STATUS_CODE_MAP))('row %s is valid under the taxonomy', (_code, row) => {
    expect(isSubstatusAllowedUnder(row.substatus, row.status)).toBe(true);
    const reason = reasonOf(row);
    if (reason !== undefined && reason !== null) expect(isIncidentReason(reason)).toBe(true);
    if (row.refineByDescription) expect(row.status).toBe('exception');
  });

  it.each(expectedRows.map((row) => [row.code, row] as const))('%s maps as expected', (code, expected) => {
    const onUnmappedCode = vi.fn();
    const mapped = mapUpsActivityStatus({ statusCode: code }, onUnmappedCode);
    expect(
      {
        status: mapped.status,
        substatus: mapped.substatus,
        reason: mapped.reason,
        informational: mapped.informational,
      },
      expected.why,
    ).toEqual({
      status: expected.status,
      substatus: expected.substatus,
      reason: expected.reason,
      informational: expected.informational ?? false,
    });
    expect(mapped.mappedBy).toBe('status_code');
    expect(onUnmappedCode).not.toHaveBeenCalled();
  });
});

describe('UPS activity type table', () => {
  it.each(Object.entries(UPS_ACTIVITY_TYPE_MAP))('type %s is valid under the taxonomy', (_type, row) => {
    expect(isSubstatusAllowedUnder(row.substatus, row.status)).toBe(true);
  });

  it.each([
    ['D', 'delivered', 'delivered'],
    ['I', 'in_transit', 'in_transit'],
    ['P', 'in_transit', 'picked_up'],
    ['M', 'info_received', 'label_created'],
    ['MV', 'cancelled', 'label_voided'],
    ['X', 'exception', 'exception_other'],
    ['O', 'out_for_delivery', 'out_for_delivery'],
    ['RS', 'return_to_sender', 'returning'],
    ['DO', 'in_transit', 'arrived_at_facility'],
    ['DD', 'in_transit', 'at_local_delivery_depot'],
    ['W', 'in_transit', 'in_transit'],
    ['U', 'in_transit', 'info_update'],
    ['NA', 'unknown', 'tracking_error'],
  ] as const)('type %s without a status code → %s / %s', (type, status, substatus) => {
    const onUnmappedCode = vi.fn();
    const mapped = mapUpsActivityStatus({ type }, onUnmappedCode);
    expect([mapped.status, mapped.substatus, mapped.mappedBy]).toEqual([status, substatus, 'activity_type']);
    expect(onUnmappedCode).not.toHaveBeenCalled();
  });

  it('reads the type case-insensitively', () => {
    expect(mapUpsActivityStatus({ type: 'mv' }).status).toBe('cancelled');
  });
});

describe('refinement tables stay inside the status they refine', () => {
  it.each(Object.entries(UPS_MOVEMENT_SCAN_SUBSTATUS))('movement scan %s → %s', (_code, substatus) => {
    expect(isSubstatusAllowedUnder(substatus, 'in_transit')).toBe(true);
  });
  it.each(Object.entries(UPS_DELIVERY_CODE_SUBSTATUS))('delivery code %s → %s', (_code, substatus) => {
    expect(isSubstatusAllowedUnder(substatus, 'delivered')).toBe(true);
  });
  it.each(UPS_EXCEPTION_DESCRIPTION_RULES.map((rule) => [String(rule.pattern), rule] as const))(
    'exception rule %s',
    (_pattern, rule) => {
      expect(isSubstatusAllowedUnder(rule.substatus, 'exception')).toBe(true);
      if (rule.reason) expect(isIncidentReason(rule.reason)).toBe(true);
    },
  );
  it.each(UPS_ATTEMPT_DESCRIPTION_RULES.map((rule) => [String(rule.pattern), rule] as const))(
    'attempt rule %s',
    (_pattern, rule) => {
      expect(isSubstatusAllowedUnder(rule.substatus, 'attempt_failed')).toBe(true);
      if (rule.reason) expect(isIncidentReason(rule.reason)).toBe(true);
    },
  );
});

describe('mapUpsActivityStatus', () => {
  it('decides by the status code before the type', () => {
    // "Delivered" to the original sender is the end of a return.
    expect(mapUpsActivityStatus({ type: 'D', code: 'B0', statusCode: '034' })).toMatchObject({
      status: 'return_to_sender',
      substatus: 'returned',
    });
    // An X that says the customs agency released the parcel is no exception (karrio maps every X to on_hold).
    expect(mapUpsActivityStatus({ type: 'X', code: 'RZ', statusCode: '014' })).toMatchObject({
      status: 'in_transit',
      substatus: 'customs_cleared',
    });
    // Type D at an Access Point: the receiver still has to collect it.
    expect(mapUpsActivityStatus({ type: 'D', code: '2Q', statusCode: '161' })).toMatchObject({
      status: 'available_for_pickup',
      substatus: 'ready_at_pickup_point',
    });
  });

  it('keeps codes as strings with their leading zeros, whatever form they arrive in', () => {
    expect(normaliseUpsStatusCode('21')).toBe('021');
    expect(normaliseUpsStatusCode(21)).toBe('021');
    expect(normaliseUpsStatusCode(' 011 ')).toBe('011');
    expect(normaliseUpsStatusCode('SR')).toBeNull();
    expect(normaliseUpsStatusCode('1234')).toBeNull();
    expect(mapUpsActivityStatus({ statusCode: 21 })).toMatchObject({ status: 'out_for_delivery', rawCode: '021' });
  });

  it('reads a 3-digit currentStatus.code as the status code (recorded answers put it there)', () => {
    expect(mapUpsActivityStatus({ code: '092', description: 'Customs Clearance in Progress' })).toMatchObject({
      status: 'in_transit',
      substatus: 'customs_processing',
      rawCode: '092',
      rawStatus: null,
      mappedBy: 'status_code',
    });
  });

  it('keeps the activity code as rawCode and the status code as rawStatus', () => {
    expect(mapUpsActivityStatus({ type: 'I', code: 'AR', statusCode: '005' })).toMatchObject({
      rawCode: 'AR',
      rawStatus: '005',
    });
    expect(mapUpsActivityStatus({ type: 'X', statusCode: '092' })).toMatchObject({ rawCode: '092', rawStatus: 'X' });
    expect(mapUpsActivityStatus({ type: 'P', code: 'PU' })).toMatchObject({ rawCode: 'PU', rawStatus: 'P' });
    expect(mapUpsActivityStatus({ type: 'D' })).toMatchObject({ rawCode: 'D', rawStatus: null });
  });

  it('reports an unknown status code and still maps by the type', () => {
    const onUnmappedCode = vi.fn();
    const mapped = mapUpsActivityStatus({ type: 'I', code: 'NZ', statusCode: '150' }, onUnmappedCode);
    expect(mapped).toMatchObject({ status: 'in_transit', substatus: 'in_transit', mappedBy: 'activity_type' });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('150');
  });

  it('never guesses: unknown code and unknown type → unknown / unmapped_carrier_status, reported once', () => {
    const onUnmappedCode = vi.fn();
    expect(mapUpsActivityStatus({ type: 'ZZ', statusCode: '999' }, onUnmappedCode)).toMatchObject({
      status: 'unknown',
      substatus: 'unmapped_carrier_status',
      reason: null,
      mappedBy: 'unmapped',
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('999');

    const onlyType = vi.fn();
    expect(mapUpsActivityStatus({ type: 'ZZ', code: 'Q9' }, onlyType).status).toBe('unknown');
    expect(onlyType).toHaveBeenCalledExactlyOnceWith('ZZ');

    const onlyActivityCode = vi.fn();
    expect(mapUpsActivityStatus({ code: 'OT' }, onlyActivityCode).status).toBe('unknown');
    expect(onlyActivityCode).toHaveBeenCalledExactlyOnceWith('OT');

    const nothing = vi.fn();
    expect(mapUpsActivityStatus({}, nothing).status).toBe('unknown');
    expect(nothing).not.toHaveBeenCalled();
  });

  it.each([
    ['AR', 'arrived_at_facility'],
    ['DP', 'departed_facility'],
    ['OR', 'picked_up'],
    ['DS', 'at_local_delivery_depot'],
    ['EP', 'departed_origin_country'],
    ['IP', 'arrived_destination_country'],
    ['HU', 'processed_at_facility'],
    ['LC', 'in_transit'],
  ] as const)('"On the Way" with movement scan %s → %s', (code, substatus) => {
    expect(mapUpsActivityStatus({ type: 'I', code, statusCode: '005' })).toMatchObject({
      status: 'in_transit',
      substatus,
    });
  });

  it('refines only plain rows: a manifest DP ("ready for UPS") is no departure', () => {
    expect(mapUpsActivityStatus({ type: 'M', code: 'DP', statusCode: '003' }).substatus).toBe('label_created');
    expect(mapUpsActivityStatus({ type: 'I', code: 'AR', statusCode: '012' }).substatus).toBe('customs_processing');
  });

  it.each([
    ['MQ', 'delivered_safe_place'],
    ['ML', 'delivered_safe_place'],
    ['3H', 'delivered_to_alternate_recipient'],
    ['FS', 'delivered'],
    ['F4', 'delivered'],
  ] as const)('"Delivered" with delivery code %s → %s', (code, substatus) => {
    expect(mapUpsActivityStatus({ type: 'D', code, statusCode: '011' })).toMatchObject({
      status: 'delivered',
      substatus,
    });
  });

  it.each([
    ['013', 'Severe weather conditions have delayed delivery.', 'delayed_weather', 'weather_delay'],
    [
      '029',
      'Import charges are due for this package. Select Pay Now (where available) or pay at delivery.',
      'payment_due',
      'customs_duties_unpaid',
    ],
    [
      '013',
      'UPS initiated contact with receiver or importer for clearance information. Once received, UPS will submit for clearance.',
      'customs_info_required',
      'customs_documentation',
    ],
    ['013', "Package Requires Custom'S Inspection", 'customs_hold', 'customs_delay'],
    ['029', 'The address is incomplete or incorrect.', 'address_issue', 'consignee_incorrect_address'],
    ['013', 'Your package was damaged in transit.', 'damaged', 'carrier_damaged_parcel'],
    [
      '013',
      "We've misrouted the package. This may cause a delay.",
      'delayed_carrier_processing',
      'carrier_sorting_error',
    ],
    [
      '046',
      "A mechanical failure has delayed delivery. We're adjusting plans to deliver your package as quickly as possible.",
      'delayed',
      'carrier_mechanical_delay',
    ],
    [
      '013',
      'The package contains articles that UPS prohibits for international shipping.',
      'rejected_by_carrier',
      'customs_prohibited',
    ],
    [
      '083',
      'The package will be held until all packages associated with this shipment have arrived.',
      'held_by_carrier',
      null,
    ],
    ['013', 'Your delivery will be rescheduled.', 'delayed', null],
    ['013', 'UPS is working to resolve the issue.', 'exception_other', null],
    ['013', null, 'exception_other', null],
  ] as const)('generic exception %s "%s" → %s (%s)', (statusCode, description, substatus, reason) => {
    expect(mapUpsActivityStatus({ type: 'X', statusCode, description })).toMatchObject({
      status: 'exception',
      substatus,
      reason,
    });
  });

  it('reads the description of a bare X too (no status code)', () => {
    expect(
      mapUpsActivityStatus({ type: 'X', description: 'Adverse weather conditions caused this delay.' }),
    ).toMatchObject({
      status: 'exception',
      substatus: 'delayed_weather',
    });
  });

  it('does not rewrite specific exception rows from their wording', () => {
    // 058 is "Clearance Information Required" whatever the text adds.
    expect(
      mapUpsActivityStatus({ type: 'X', statusCode: '058', description: 'Severe weather and clearance' }).substatus,
    ).toBe('customs_info_required');
  });

  it.each([
    [
      "The receiver was not available for delivery. We'll make a second attempt the next business day.",
      'recipient_unavailable',
      'consignee_not_home',
    ],
    [
      "The receiving business was closed. We'll attempt to deliver the package the next business day.",
      'business_closed',
      'consignee_business_closed',
    ],
    ['We tried to deliver the package, but were unable to receive payment.', 'payment_due', null],
    [
      'We are trying to get the security access our driver needs for this delivery.',
      'location_inaccessible',
      'consignee_access_restricted',
    ],
    ['Delivery attempted.', 'attempted', null],
  ] as const)('a plain attempt "%s" → %s', (description, substatus, reason) => {
    expect(mapUpsActivityStatus({ type: 'X', statusCode: '022', description })).toMatchObject({
      status: 'attempt_failed',
      substatus,
      reason,
    });
  });
});
