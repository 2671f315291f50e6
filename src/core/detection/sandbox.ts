/**
 * Waymark's built-in `sandbox` carrier, used by the demo store and tests so a new install shows
 * shipments moving without any carrier credentials.
 *
 * Format: `SBX` + one scenario digit (1–7) + 8 to 16 digits, e.g. `SBX100000001`. The scenario
 * decides the story the sandbox carrier tells (see adapters/carriers/sandbox); the digits only
 * make the number unique. There is no check digit. It is described in tracking_number_data's
 * own format so detection treats it like any courier.
 */
import type { CourierSpec } from './data-format.js';

export const SANDBOX_CARRIER = 'sandbox';
export const SANDBOX_PREFIX = 'SBX';
const SERIAL_DIGITS = 8;

export const SANDBOX_COURIER: CourierSpec = {
  name: 'Waymark Sandbox',
  courier_code: SANDBOX_CARRIER,
  tracking_numbers: [
    {
      id: 'sandbox',
      name: 'Waymark Sandbox',
      description: "Waymark's demo carrier: SBX, a scenario digit from 1 to 7, then 8 to 16 digits.",
      regex: '\\s*S\\s*B\\s*X\\s*(?<ServiceType>[1-7])\\s*(?<SerialNumber>([0-9]\\s*){8,16})',
      validation: {},
      tracking_url: null,
      additional: [
        {
          name: 'Service Type',
          regex_group_name: 'ServiceType',
          lookup: [
            { matches: '1', name: 'Sandbox scenario 1: delivered' },
            { matches: '2', name: 'Sandbox scenario 2: failed attempt, then delivered' },
            { matches: '3', name: 'Sandbox scenario 3: weather delay, then delivered' },
            { matches: '4', name: 'Sandbox scenario 4: returned to sender' },
            { matches: '5', name: 'Sandbox scenario 5: lost' },
            { matches: '6', name: 'Sandbox scenario 6: stalls after pickup' },
            { matches: '7', name: 'Sandbox scenario 7: ready for pickup, then collected' },
          ],
        },
      ],
      test_numbers: {
        valid: ['SBX100000001', 'SBX700000000', 'SBX 3 0000 0042', 'SBX51234567890123456'],
        invalid: ['SBX800000001', 'SBX10000001', 'SBX012345678', 'SBY100000001'],
      },
    },
  ],
};

/** The sandbox tracking number for a scenario (1–7) and a sequence number, e.g. (1, 42) → `SBX100000042`. */
export function sandboxTrackingNumber(scenario: number, sequence: number): string {
  if (!Number.isInteger(scenario) || scenario < 1 || scenario > 7)
    throw new RangeError('sandbox scenario must be 1 to 7');
  if (!Number.isSafeInteger(sequence) || sequence < 0 || sequence >= 10 ** 16) {
    throw new RangeError('sandbox sequence must be a non-negative integer below 10^16');
  }
  return `${SANDBOX_PREFIX}${scenario}${String(sequence).padStart(SERIAL_DIGITS, '0')}`;
}

/** The scenario digit of a sandbox number, or null when it is not one. */
export function sandboxScenario(trackingNumber: string): number | null {
  const match = /^SBX([1-7])\d{8,16}$/.exec(trackingNumber.replace(/\s+/g, '').toUpperCase());
  return match ? Number(match[1]) : null;
}
