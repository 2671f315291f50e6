import { normaliseCarrierName } from '../core/detection/index.js';
import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';

/**
 * The merchant says which carrier really has the parcel. The carrier is set
 * with confidence `overridden` (detection and the platform will not change it
 * back), the change is journaled with who made it, and the parcel becomes due
 * for tracking at once with the new carrier — a tracker stopped for an invalid
 * number or an unsupported carrier gets another chance.
 */
export async function correctShipmentCarrier(
  deps: { uow: UnitOfWork; clock: Clock },
  input: { storeId: string; shipmentId: string; carrier: string; actor: string },
): Promise<{ carrier: string; previous: string | null }> {
  const carrier = normaliseCarrierName(input.carrier);
  if (!carrier)
    throw new DomainError(ErrorCode.InvalidInput, `"${input.carrier.slice(0, 60)}" is not a carrier Waymark knows`);
  const now = deps.clock.now();
  return deps.uow.transaction(async (stores) => {
    const shipment = await stores.shipments.findShipmentById(input.storeId, input.shipmentId);
    if (!shipment) throw new DomainError(ErrorCode.NotFound, 'shipment not found');
    await stores.shipments.setShipmentCarrier(input.storeId, shipment.id, carrier, 'overridden', now);
    await stores.shipments.setCarrierDetails(
      input.storeId,
      shipment.id,
      { trackerState: 'active', nextCheckAt: now },
      now,
    );
    if (shipment.carrier !== carrier || shipment.carrierConfidence !== 'overridden') {
      await stores.journal.recordStatusChanges([
        {
          storeId: input.storeId,
          entityType: 'shipment',
          entityId: shipment.id,
          field: 'carrier',
          from: shipment.carrier,
          to: carrier,
          cause: 'user',
          causeRef: input.actor,
          at: now,
        },
      ]);
    }
    return { carrier, previous: shipment.carrier };
  });
}
