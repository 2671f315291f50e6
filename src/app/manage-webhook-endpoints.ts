import type { Clock } from '../core/ports/clock.port.js';

export type EndpointPolicy = {
  /** Throws DomainError invalid_input for URLs Waymark must not call (not https, private networks). */
  validateUrl(url: string): Promise<void>;
  generateSecret(): string;
};

export type EndpointStore = {
  createEndpoint(
    storeId: string,
    input: { url: string; secret: string; eventTypes: string[] },
    now: string,
  ): Promise<{ id: string; url: string; eventTypes: string[]; isEnabled: boolean; createdAt: string }>;
  listEndpoints(
    storeId: string,
  ): Promise<{ id: string; url: string; eventTypes: string[]; isEnabled: boolean; createdAt: string }[]>;
  setEndpointEnabled(storeId: string, id: string, enabled: boolean, now: string): Promise<boolean>;
};

/** Registers a merchant endpoint; the signing secret is returned this once and stored sealed. */
export async function registerWebhookEndpoint(
  deps: { clock: Clock; endpoints: EndpointStore; policy: EndpointPolicy },
  storeId: string,
  input: { url: string; eventTypes: string[] },
): Promise<{ id: string; url: string; eventTypes: string[]; secret: string; createdAt: string }> {
  await deps.policy.validateUrl(input.url);
  const secret = deps.policy.generateSecret();
  const created = await deps.endpoints.createEndpoint(
    storeId,
    { url: input.url, secret, eventTypes: input.eventTypes },
    deps.clock.now(),
  );
  return { id: created.id, url: created.url, eventTypes: created.eventTypes, secret, createdAt: created.createdAt };
}
