import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';

/** How long closing waits for handlers still running; past it, the database closes under them. */
export const DEFAULT_DRAIN_MS = 10_000;

type Handler = RouteOptions['handler'];

/**
 * Keeps closing the app from finishing while a request is still being worked.
 * Fastify's close waits for open connections, not for handlers: when a client
 * hangs up mid-request (a browser closed, a platform timing out), the
 * connection is gone but the handler goes on, and the caller then closes the
 * database under it. Each request counts from `onRequest` until its handler
 * settles; a request that never reaches a handler (an early reply, an upload
 * cut off) counts until it is answered or aborted.
 */
export function drainHandlersOnClose(app: FastifyInstance, options: { drainMs?: number } = {}): void {
  const pending = new Set<FastifyRequest>();
  const inHandler = new WeakSet<FastifyRequest>();
  let drained: (() => void) | null = null;

  const finish = (request: FastifyRequest): void => {
    if (pending.delete(request) && pending.size === 0) drained?.();
  };
  const finishUnlessHandling = (request: FastifyRequest): void => {
    if (!inHandler.has(request)) finish(request);
  };

  app.addHook('onRequest', (request, _reply, done) => {
    pending.add(request);
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    finishUnlessHandling(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    finishUnlessHandling(request);
    done();
  });
  app.addHook('onRoute', (route) => {
    const handler: Handler = route.handler;
    route.handler = function tracked(this: FastifyInstance, request, reply) {
      const result: unknown = handler.call(this, request, reply);
      if (result instanceof Promise) {
        inHandler.add(request);
        return result.finally(() => {
          inHandler.delete(request);
          finish(request);
        });
      }
      return result;
    };
  });
  app.addHook('onClose', async () => {
    if (pending.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.drainMs ?? DEFAULT_DRAIN_MS);
      timer.unref();
      drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  });
}
