import { DomainError, ErrorCode } from '../core/errors.js';
import type { WebhookDeliveryLog, WebhookDeliveryPage } from '../core/ports/webhook-delivery.port.js';
import type { EndpointStore } from './manage-webhook-endpoints.js';

export type DeliveryLogDeps = { endpoints: Pick<EndpointStore, 'listEndpoints'>; deliveries: WebhookDeliveryLog };

/** Throws `not_found` unless the endpoint is the store's (another store's endpoint is never confirmed to exist). */
export async function requireStoreEndpoint(
  deps: Pick<DeliveryLogDeps, 'endpoints'>,
  storeId: string,
  endpointId: string,
): Promise<{ id: string; url: string; isEnabled: boolean }> {
  const endpoint = (await deps.endpoints.listEndpoints(storeId)).find((e) => e.id === endpointId);
  if (!endpoint) throw new DomainError(ErrorCode.NotFound, 'endpoint not found');
  return endpoint;
}

/**
 * Every attempt to deliver to one of the store's endpoints, newest first:
 * event type, `webhook-id`, the body sent, attempt number, status code,
 * response time, error, when. `cursor` is the previous page's `nextCursor`.
 */
export async function listWebhookDeliveries(
  deps: DeliveryLogDeps,
  storeId: string,
  endpointId: string,
  page: { limit: number; cursor: string | null },
): Promise<WebhookDeliveryPage> {
  await requireStoreEndpoint(deps, storeId, endpointId);
  return deps.deliveries.listDeliveries(storeId, endpointId, page);
}
