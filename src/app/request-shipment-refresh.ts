import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';

/**
 * Asks for a shipment to be tracked again now: it becomes due at once and
 * the next worker pass takes it. Works for expired and stopped trackers too
 * (re-track), which become active again.
 */
export async function requestShipmentRefresh(
  deps: { uow: UnitOfWork; clock: Clock },
  storeId: string,
  shipmentId: string,
): Promise<{ nextCheckAt: string }> {
  const now = deps.clock.now();
  const shipment = await deps.uow.repositories.shipments.findShipmentById(storeId, shipmentId);
  if (!shipment) throw new DomainError(ErrorCode.NotFound, 'shipment not found');
  const trackerState =
    shipment.trackerState === 'stopped_stale' || shipment.trackerState === 'stopped_delivered'
      ? 'active'
      : shipment.trackerState;
  await deps.uow.repositories.shipments.setCarrierDetails(storeId, shipmentId, { nextCheckAt: now, trackerState }, now);
  return { nextCheckAt: now };
}
