import type { EventLocation } from '../shipment/shipment.js';
import { formatLocation } from '../shipment/shipment.js';

/** FNV-1a, 64-bit: a stable, dependency-free fingerprint (collisions only matter within one shipment). */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * The identity of a carrier event, the same however often and through
 * whichever path (poll, aggregator webhook) it arrives: source family, raw
 * code, the carrier's own time, place and wording.
 */
export function trackingEventKey(input: {
  carrier: string;
  rawCode: string | null;
  occurredAt: string;
  occurredAtLocal: string | null;
  location: EventLocation | null;
  description: string | null;
}): string {
  const parts = [
    input.carrier,
    input.rawCode ?? '',
    input.occurredAt,
    (formatLocation(input.location) ?? '').toLowerCase(),
    (input.description ?? '').trim().toLowerCase().replace(/\s+/g, ' '),
  ];
  return `${input.carrier}:${fnv1a64(parts.join('\u001f'))}`;
}
