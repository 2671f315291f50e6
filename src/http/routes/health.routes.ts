import type { FastifyInstance } from 'fastify';

import type { HealthCheck } from '../../core/ports/storage.port.js';
import type { Metrics } from '../metrics.js';

export function registerHealthRoutes(app: FastifyInstance, deps: { health: HealthCheck; metrics: Metrics }): void {
  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const readiness = await deps.health.checkReadiness();
    if (readiness.ok) return { status: 'ready' };
    return reply.status(503).send({ status: 'not_ready', error: { code: 'not_ready', message: readiness.reason } });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(body);
  });
}
