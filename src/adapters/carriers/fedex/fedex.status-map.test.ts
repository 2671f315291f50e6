import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  isIncidentReason,
  isSubstatusAllowedUnder,
  type IncidentReason,
  type ShippingStatus,
  type Substatus,
} from '../../../core/shipment/shipping-status.js';
import {
  FEDEX_DELAY_TYPES,
  FEDEX_DERIVED_CODES,
  FEDEX_EVENT_CODES,
  FEDEX_EXCEPTION_CODES,
  fedexRawCode,
  mapFedexStatus,
  type FedexCodeMapping,
} from './fedex.status-map.js';

const TABLES: [string, Readonly<Record<string, FedexCodeMapping>>][] = [
  ['FEDEX_EVENT_CODES', FEDEX_EVENT_CODES],
  ['FEDEX_EXCEPTION_CODES', FEDEX_EXCEPTION_CODES],
  ['FEDEX_DERIVED_CODES', FEDEX_DERIVED_CODES],
];

describe('FedEx code tables are valid under the taxonomy', () => {
  for (const [name, table] of TABLES) {
    it.each(Object.entries(table))(`${name} %s`, (_code, row) => {
      expect(isSubstatusAllowedUnder(row.substatus, row.status)).toBe(true);
      if (row.reason !== undefined && row.reason !== null) expect(isIncidentReason(row.reason)).toBe(true);
      expect(row.status).not.toBe('unknown');
    });
  }

  it.each(Object.entries(FEDEX_DELAY_TYPES))('delay type %s refines within exception', (_type, refinement) => {
    expect(isSubstatusAllowedUnder(refinement.substatus, 'exception')).toBe(true);
    expect(isIncidentReason(refinement.reason)).toBe(true);
  });

  it('keys are upper-case so case-insensitive lookups find them', () => {
    for (const [, table] of TABLES) for (const key of Object.keys(table)) expect(key).toBe(key.toUpperCase());
  });

  it('every exception pair refines an event code the event table knows', () => {
    for (const key of Object.keys(FEDEX_EXCEPTION_CODES)) {
      const [eventCode, exceptionCode, extra] = key.split('/');
      expect(extra).toBeUndefined();
      expect(exceptionCode).toMatch(/^[0-9A-Z]+$/);
      expect(FEDEX_EVENT_CODES[eventCode ?? '']).toBeDefined();
    }
  });
});

type Expected = [
  code: string,
  status: ShippingStatus,
  substatus: Substatus,
  reason: IncidentReason | null,
  why?: string,
];

/** Rows with an empty "why" so test titles read cleanly. */
function titled(rows: Expected[]): Required<Expected>[] {
  return rows.map(([code, status, substatus, reason, why]) => [code, status, substatus, reason, why ? `— ${why}` : '']);
}

const EVENT_ROWS: Expected[] = [
  ['OC', 'info_received', 'label_created', null],
  ['MD', 'info_received', 'label_created', null, 'manifest data: FedEx knows of the parcel, has not got it'],
  [
    'RP',
    'info_received',
    'label_created',
    null,
    'a return label was emailed: the return shipment exists on paper only',
  ],
  ['RG', 'info_received', 'label_created', null, 'return label link expiring soon: still just a label'],
  ['DS', 'info_received', 'carrier_pickup_scheduled', null, 'vehicle dispatched to collect it'],
  ['EP', 'info_received', 'carrier_pickup_scheduled', null],
  ['AP', 'info_received', 'carrier_pickup_scheduled', null, 'courier at the pickup address, parcel not scanned yet'],
  ['PD', 'exception', 'delayed', null, 'pickup delay is a delay, not a label event; a later PU resolves it'],
  ['PU', 'in_transit', 'picked_up', null],
  ['PX', 'in_transit', 'picked_up', null],
  ['DO', 'in_transit', 'picked_up', null, 'dropped off by the shipper: FedEx has it'],
  ['IP', 'in_transit', 'picked_up', null],
  ['AA', 'in_transit', 'arrived_at_facility', null],
  ['AF', 'in_transit', 'arrived_at_facility', null, 'also used at origin when tendered at a FedEx counter'],
  ['AR', 'in_transit', 'arrived_at_facility', null],
  ['OF', 'in_transit', 'arrived_at_facility', null, 'karrio reads it as picked up; it is a facility scan'],
  ['SF', 'in_transit', 'arrived_at_facility', null],
  ['FD', 'in_transit', 'at_local_delivery_depot', null],
  ['DP', 'in_transit', 'departed_facility', null],
  ['LO', 'in_transit', 'departed_facility', null],
  ['IT', 'in_transit', 'in_transit', null],
  ['IX', 'in_transit', 'in_transit', null],
  ['OW', 'in_transit', 'in_transit', null],
  ['PM', 'in_transit', 'in_transit', null],
  ['PF', 'in_transit', 'in_transit', null],
  ['PL', 'in_transit', 'in_transit', null],
  ['EO', 'in_transit', 'in_transit', null],
  [
    'EA',
    'in_transit',
    'in_transit',
    null,
    'FedEx uses EA for "Enroute to Airport" and "Export Approved"; both are transit',
  ],
  ['TR', 'in_transit', 'in_transit', null],
  ['AC', 'in_transit', 'transferred_to_partner_carrier', null, 'at a Canada Post facility'],
  ['AX', 'in_transit', 'transferred_to_partner_carrier', null, 'at a USPS facility (Ground Economy)'],
  ['OX', 'in_transit', 'transferred_to_partner_carrier', null, 'karrio says pending; it is the hand-off to USPS'],
  ['CP', 'in_transit', 'customs_processing', null],
  ['CC', 'in_transit', 'customs_cleared', null],
  ['CH', 'in_transit', 'forwarded', null],
  ['PR', 'in_transit', 'forwarded', null],
  ['AS', 'in_transit', 'address_corrected', null],
  ['US', 'in_transit', 'delivery_rescheduled', null],
  ['AE', 'in_transit', 'info_update', null, 'ETA notice, not a move'],
  ['AO', 'in_transit', 'info_update', null, 'ETA notice, not a move'],
  ['SP', 'in_transit', 'info_update', null, 'split status: the pieces differ; no single move to report'],
  ['DR', 'in_transit', 'info_update', null],
  ['RR', 'in_transit', 'info_update', null, 'customer delivery option bookkeeping'],
  ['RM', 'in_transit', 'info_update', null],
  ['RC', 'in_transit', 'info_update', null],
  ['HA', 'in_transit', 'info_update', null, 'hold request accepted; HL/HP say when it is ready'],
  ['RA', 'in_transit', 'info_update', null],
  ['OD', 'out_for_delivery', 'out_for_delivery', null, 'FedEx derives IT for it; the event code decides'],
  ['ED', 'out_for_delivery', 'out_for_delivery', null],
  ['AD', 'out_for_delivery', 'out_for_delivery', null],
  ['HL', 'available_for_pickup', 'held_at_carrier_for_collection', null],
  ['HP', 'available_for_pickup', 'held_at_carrier_for_collection', null, 'FedEx derives IT for it'],
  ['DL', 'delivered', 'delivered', null],
  ['DE', 'exception', 'exception_other', null, 'without a known exception code we cannot say an attempt happened'],
  ['SE', 'exception', 'exception_other', null],
  ['DD', 'exception', 'delayed', null],
  ['DY', 'exception', 'delayed', null],
  ['CD', 'exception', 'customs_hold', 'customs_delay', 'a clearance delay, not an inspection (the default reason)'],
  ['RT', 'exception', 'exception_other', null, 'a return requested is not under way until RS'],
  ['RS', 'return_to_sender', 'returning', null, 'FedEx derives DL on it; it is not a delivery'],
  ['CA', 'cancelled', 'cancelled', null],
  ['LP', 'cancelled', 'label_voided', null],
  ['RD', 'cancelled', 'label_voided', null, 'an expired return label link: that return will not happen'],
];

const EXCEPTION_ROWS: Expected[] = [
  ['DE/007', 'attempt_failed', 'recipient_unavailable', 'consignee_not_available', 'sandbox 377101283611590'],
  ['DE/08', 'attempt_failed', 'recipient_unavailable', 'consignee_not_available', 'Express wording of the same'],
  ['DE/15', 'attempt_failed', 'recipient_unavailable', 'consignee_not_available', 'spec ancillary example'],
  ['DE/07', 'attempt_failed', 'refused', 'consignee_refused'],
  ['DE/03', 'exception', 'address_issue', 'consignee_incorrect_address', 'sandbox 797615467620'],
  ['DE/17', 'in_transit', 'delivery_rescheduled', null, 'customer asked for a later day: not a problem'],
  ['DE/083', 'exception', 'delayed', 'consignee_access_restricted', 'local delivery restriction, not attempted'],
  ['DE/84', 'exception', 'delayed', 'consignee_access_restricted'],
  ['DE/A13', 'in_transit', 'forwarded', null, 'redirected to a FedEx Office counter'],
  ['DE/A47', 'in_transit', 'forwarded', null],
  ['DE/060G', 'return_to_sender', 'returning', null, 'latest status DE while the scan already says RS'],
];

const DERIVED_ROWS: Expected[] = [
  ['IN', 'info_received', 'label_created', null],
  ['OC', 'info_received', 'label_created', null],
  ['PU', 'in_transit', 'picked_up', null],
  ['IT', 'in_transit', 'in_transit', null],
  ['DP', 'in_transit', 'departed_facility', null],
  ['HL', 'available_for_pickup', 'held_at_carrier_for_collection', null],
  ['DL', 'delivered', 'delivered', null],
  ['DE', 'exception', 'exception_other', null],
  ['DY', 'exception', 'delayed', null],
  ['RL', 'exception', 'delayed', null, '"Running Late" only appears as a derived latest status'],
];

describe('FedEx event codes, row by row', () => {
  it('the expectations cover the whole table', () => {
    expect(EVENT_ROWS.map(([code]) => code).sort()).toEqual(Object.keys(FEDEX_EVENT_CODES).sort());
  });

  it.each(titled(EVENT_ROWS))('%s → %s / %s (%s) %s', (code, status, substatus, reason) => {
    expect(mapFedexStatus({ code })).toEqual({ status, substatus, reason, matchedBy: 'event_code' });
  });
});

describe('FedEx exception codes, row by row', () => {
  it('the expectations cover the whole table', () => {
    expect(EXCEPTION_ROWS.map(([key]) => key).sort()).toEqual(Object.keys(FEDEX_EXCEPTION_CODES).sort());
  });

  it.each(titled(EXCEPTION_ROWS))('%s → %s / %s (%s) %s', (key, status, substatus, reason) => {
    const [code, exceptionCode] = key.split('/');
    expect(mapFedexStatus({ code, exceptionCodes: [exceptionCode] })).toEqual({
      status,
      substatus,
      reason,
      matchedBy: 'exception_code',
    });
  });
});

describe('FedEx derived codes, row by row', () => {
  it('the expectations cover the whole table', () => {
    expect(DERIVED_ROWS.map(([code]) => code).sort()).toEqual(Object.keys(FEDEX_DERIVED_CODES).sort());
  });

  it.each(titled(DERIVED_ROWS))('%s → %s / %s (%s) %s', (derivedCode, status, substatus, reason) => {
    expect(mapFedexStatus({ derivedCode })).toEqual({ status, substatus, reason, matchedBy: 'derived_code' });
  });
});

describe('coverage of the FedEx "Tracking Status Codes" table', () => {
  // Movement and regulatory codes of code-tables/fedex_status_codes.txt. The
  // "Possession" column (CA Carrier, RC Recipient, SH Shipper, CU Customs,
  // BR Broker, TP Transfer Partner) names who holds the parcel, not an event.
  // prettier-ignore
  const PUBLISHED = [
    'AA', 'AC', 'AD', 'AF', 'AO', 'AP', 'AR', 'AX', 'CA', 'CH', 'DD', 'DE', 'DL', 'DP', 'DR', 'DS', 'DY', 'EA',
    'ED', 'EO', 'EP', 'FD', 'HL', 'HP', 'IT', 'IX', 'LO', 'OC', 'OD', 'OF', 'Ow', 'OX', 'PD', 'PF', 'PL', 'PM',
    'PU', 'PX', 'RR', 'RM', 'RC', 'RS', 'RP', 'LP', 'RG', 'RD', 'SE', 'SF', 'SP', 'TR', 'CC', 'CD', 'CP',
  ];

  it.each(PUBLISHED)('%s is mapped', (code) => {
    expect(mapFedexStatus({ code }).matchedBy).toBe('event_code');
  });

  // Deliberately unknown: `IN` is only known as a derived code ("Initiated"), `LC`
  // appears in FedEx's webhook milestone list without a meaning, `PY` only in
  // karrio's table; a guess would be worse than an alert.
  it.each(['IN', 'LC', 'PY'])('%s as an event code is deliberately unmapped', (code) => {
    const onUnmappedCode = vi.fn();
    expect(mapFedexStatus({ code }, onUnmappedCode)).toEqual({
      status: 'unknown',
      substatus: 'unmapped_carrier_status',
      reason: null,
      matchedBy: 'unmapped',
    });
    expect(onUnmappedCode).toHaveBeenCalledWith(code);
  });
});

describe('mapFedexStatus precedence', () => {
  it('an exception pair wins over its event code', () => {
    expect(mapFedexStatus({ code: 'DE', exceptionCodes: ['007'], derivedCode: 'DE' }).status).toBe('attempt_failed');
  });

  it('an exception code FedEx did not pair with this event code falls back to the event code', () => {
    // A3 "Tendered at FedEx Facility" on AF is not a table entry; AF still decides.
    expect(mapFedexStatus({ code: 'AF', exceptionCodes: ['A3'] })).toMatchObject({
      substatus: 'arrived_at_facility',
      matchedBy: 'event_code',
    });
    // 007 means "customer not available" only on a delivery exception.
    expect(mapFedexStatus({ code: 'PU', exceptionCodes: ['007'] }).matchedBy).toBe('event_code');
  });

  it('compares exception codes verbatim: Ground 007 and Express 07 mean different things', () => {
    expect(mapFedexStatus({ code: 'DE', exceptionCodes: ['007'] }).substatus).toBe('recipient_unavailable');
    expect(mapFedexStatus({ code: 'DE', exceptionCodes: ['07'] }).substatus).toBe('refused');
    expect(mapFedexStatus({ code: 'DE', exceptionCodes: ['7'] }).substatus).toBe('exception_other');
  });

  it('takes the first listed ancillary reason that the table knows', () => {
    expect(mapFedexStatus({ code: 'DE', exceptionCodes: ['', null, 'ZZZ', '03', '007'] }).substatus).toBe(
      'address_issue',
    );
  });

  it('the event code wins over the derived code (OD and HP are derived IT, RS derived DL)', () => {
    expect(mapFedexStatus({ code: 'OD', derivedCode: 'IT' }).status).toBe('out_for_delivery');
    expect(mapFedexStatus({ code: 'HP', derivedCode: 'IT' }).status).toBe('available_for_pickup');
    expect(mapFedexStatus({ code: 'RS', derivedCode: 'DL' }).status).toBe('return_to_sender');
  });

  it('falls back to the derived code for an unknown event code, and still reports the event code', () => {
    const onUnmappedCode = vi.fn();
    expect(mapFedexStatus({ code: 'QQ', derivedCode: 'IT' }, onUnmappedCode)).toEqual({
      status: 'in_transit',
      substatus: 'in_transit',
      reason: null,
      matchedBy: 'derived_code',
    });
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('QQ');
  });

  it('reports an unknown derived code when there is no event code', () => {
    const onUnmappedCode = vi.fn();
    expect(mapFedexStatus({ derivedCode: 'XY' }, onUnmappedCode).status).toBe('unknown');
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('XY');
  });

  it('reports only the event code when both are unknown', () => {
    const onUnmappedCode = vi.fn();
    expect(mapFedexStatus({ code: 'ZZ', derivedCode: 'ZZ' }, onUnmappedCode).status).toBe('unknown');
    expect(onUnmappedCode).toHaveBeenCalledExactlyOnceWith('ZZ');
  });

  it('no code at all is unknown and reports nothing', () => {
    const onUnmappedCode = vi.fn();
    expect(mapFedexStatus({ code: '  ', derivedCode: null }, onUnmappedCode).substatus).toBe('unmapped_carrier_status');
    expect(onUnmappedCode).not.toHaveBeenCalled();
  });

  it('ignores case and surrounding blanks (FedEx writes "Ow")', () => {
    expect(mapFedexStatus({ code: 'Ow' }).matchedBy).toBe('event_code');
    expect(mapFedexStatus({ code: ' de ', exceptionCodes: [' a13 '] }).substatus).toBe('forwarded');
  });
});

describe('delay types', () => {
  it('WEATHER turns a delay into a weather delay', () => {
    expect(mapFedexStatus({ code: 'DY', delayType: 'WEATHER' })).toMatchObject({
      status: 'exception',
      substatus: 'delayed_weather',
      reason: 'weather_delay',
    });
  });

  it('CLEARANCE names customs as the cause', () => {
    expect(mapFedexStatus({ code: 'DD', delayType: 'CLEARANCE' })).toMatchObject({
      substatus: 'delayed',
      reason: 'customs_delay',
    });
  });

  it('GENERAL, OPERATIONAL and LOCAL name nobody', () => {
    for (const delayType of ['GENERAL', 'OPERATIONAL', 'LOCAL']) {
      expect(mapFedexStatus({ code: 'DY', delayType })).toMatchObject({ substatus: 'delayed', reason: null });
    }
  });

  it('a row with its own reason keeps it', () => {
    expect(mapFedexStatus({ code: 'DE', exceptionCodes: ['083'], delayType: 'WEATHER' })).toMatchObject({
      substatus: 'delayed_weather',
      reason: 'consignee_access_restricted',
    });
  });

  it('does not touch statuses that are not delays (a picked-up scan flagged DELAYED stays picked up)', () => {
    expect(mapFedexStatus({ code: 'PU', delayType: 'WEATHER' })).toMatchObject({
      status: 'in_transit',
      substatus: 'picked_up',
      reason: null,
    });
  });
});

describe('mapFedexStatus on any input', () => {
  it('always answers a substatus valid under its status', () => {
    const code = fc.oneof(fc.constantFrom(...Object.keys(FEDEX_EVENT_CODES), 'Ow', 'ZZ', ''), fc.string());
    fc.assert(
      fc.property(
        fc.record({
          code: fc.option(code),
          exceptionCodes: fc.array(fc.option(fc.constantFrom('007', '08', '03', 'A13', '060G', 'X', ''))),
          derivedCode: fc.option(fc.oneof(fc.constantFrom(...Object.keys(FEDEX_DERIVED_CODES)), fc.string())),
          delayType: fc.option(fc.constantFrom('WEATHER', 'CLEARANCE', 'GENERAL', 'weather')),
        }),
        (codes) => {
          const mapped = mapFedexStatus(codes);
          expect(isSubstatusAllowedUnder(mapped.substatus, mapped.status)).toBe(true);
          if (mapped.reason !== null) expect(isIncidentReason(mapped.reason)).toBe(true);
        },
      ),
    );
  });
});

describe('fedexRawCode', () => {
  it('keeps the exception code beside the event code so the mapping can be re-applied', () => {
    expect(fedexRawCode('DE', '007')).toBe('DE/007');
    expect(fedexRawCode('OD', '')).toBe('OD');
    expect(fedexRawCode(' HP ', ' 015A ')).toBe('HP/015A');
    expect(fedexRawCode('', '')).toBeNull();
    expect(fedexRawCode(null, 'A3')).toBe('/A3');
  });
});
