import type { FastifyInstance, FastifyRequest } from 'fastify';

import { DomainError, ErrorCode } from '../../core/errors.js';
import type { Clock } from '../../core/ports/clock.port.js';
import type { ApiKeyStore } from '../../core/ports/storage.port.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The store the API key belongs to; every API query is scoped to it. */
    apiStoreId: string | null;
  }
}

const TOUCH_INTERVAL_MS = 60_000;

/**
 * `Authorization: Bearer <key>` for every route registered in this scope.
 * A missing, malformed, unknown or revoked key gets the same 401.
 */
export function requireApiKey(app: FastifyInstance, deps: { apiKeys: ApiKeyStore; clock: Clock }): void {
  const lastTouched = new Map<string, number>();
  app.decorateRequest('apiStoreId', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) throw new DomainError(ErrorCode.Unauthorized, 'missing API key: send Authorization: Bearer <key>');
    const found = await deps.apiKeys.findStoreIdForKey(match[1]);
    if (!found) throw new DomainError(ErrorCode.Unauthorized, 'API key not recognised or revoked');
    request.apiStoreId = found.storeId;
    // Recording last use on every request would turn reads into writes; once a minute is plenty.
    const now = deps.clock.now();
    const previous = lastTouched.get(found.keyId) ?? 0;
    if (Date.parse(now) - previous > TOUCH_INTERVAL_MS) {
      lastTouched.set(found.keyId, Date.parse(now));
      await deps.apiKeys.touchApiKey(found.keyId, now);
    }
  });
}

export function storeIdOf(request: FastifyRequest): string {
  if (!request.apiStoreId) throw new DomainError(ErrorCode.Unauthorized, 'API key required');
  return request.apiStoreId;
}
