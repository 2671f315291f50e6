/**
 * Waymark's built-in `sandbox` carrier, used by the demo store so a new install shows
 * shipments moving without any carrier credentials.
 *
 * Format: `WMK` + 9 serial digits + 1 check digit, e.g. `WMK1234567895`. The check digit is the
 * GS1 mod 10 over the serial: weights 3,1,3,…,3 from the first serial digit (so the last serial
 * digit weighs 3), sum, and the digit that brings the sum up to a multiple of 10. It is
 * described in tracking_number_data's own format so detection treats it like any courier.
 */
import { mod10CheckDigit } from './checksums.js';
import type { CourierSpec } from './data-format.js';

export const SANDBOX_CARRIER = 'sandbox';
export const SANDBOX_PREFIX = 'WMK';
const SERIAL_DIGITS = 9;
const MOD10_OPTIONS = { evensMultiplier: 3, oddsMultiplier: 1, modulo: 10, reverse: false } as const;

export const SANDBOX_COURIER: CourierSpec = {
  name: 'Waymark Sandbox',
  courier_code: SANDBOX_CARRIER,
  tracking_numbers: [
    {
      id: 'sandbox',
      name: 'Waymark Sandbox',
      description: "Waymark's demo carrier: WMK, nine serial digits and a GS1 mod 10 check digit.",
      regex: '\\s*W\\s*M\\s*K\\s*(?<SerialNumber>([0-9]\\s*){9})(?<CheckDigit>[0-9]\\s*)',
      validation: {
        checksum: {
          name: 'mod10',
          modulo: MOD10_OPTIONS.modulo,
          evens_multiplier: MOD10_OPTIONS.evensMultiplier,
          odds_multiplier: MOD10_OPTIONS.oddsMultiplier,
          reverse: MOD10_OPTIONS.reverse,
        },
      },
      tracking_url: null,
      test_numbers: {
        valid: ['WMK1234567895', 'WMK0000000000', 'WMK 000 000 001 7', 'WMK0000424240'],
        invalid: ['WMK1234567890', 'WMK123456789', 'WMK12345678950', 'WMX1234567895'],
      },
    },
  ],
};

/**
 * The sandbox tracking number for a sequence number (0 … 999 999 999), e.g. 1 → `WMK0000000017`.
 * Throws on anything else.
 */
export function sandboxTrackingNumber(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0 || sequence >= 10 ** SERIAL_DIGITS) {
    throw new RangeError(`sandbox sequence must be an integer from 0 to ${10 ** SERIAL_DIGITS - 1}`);
  }
  const serial = String(sequence).padStart(SERIAL_DIGITS, '0');
  return `${SANDBOX_PREFIX}${serial}${mod10CheckDigit(serial, MOD10_OPTIONS)}`;
}
