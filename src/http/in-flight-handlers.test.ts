import { request as httpRequest } from 'node:http';

import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';

import { drainHandlersOnClose } from './in-flight-handlers.js';

type Gate = { open(): void; wait: Promise<void> };
function gate(): Gate {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { open, wait };
}

let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function serve(build: (instance: FastifyInstance) => void, drainMs?: number): Promise<number> {
  app = Fastify({ return503OnClosing: true });
  drainHandlersOnClose(app, drainMs === undefined ? {} : { drainMs });
  build(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Sends a request and hangs up once the server has it, as a client that times out does. */
async function hangUp(port: number, path: string, arrived: Promise<void>): Promise<void> {
  const request = httpRequest({ port, host: '127.0.0.1', path });
  request.on('error', () => undefined);
  request.end();
  await arrived;
  request.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

async function timeToClose(): Promise<number> {
  const started = Date.now();
  await app?.close();
  app = null;
  return Date.now() - started;
}

describe('drainHandlersOnClose', () => {
  it('should not finish closing while a handler whose client hung up is still working', async () => {
    const arrived = gate();
    const release = gate();
    const steps: string[] = [];
    const port = await serve((instance) =>
      instance.get('/slow', async () => {
        arrived.open();
        await release.wait;
        steps.push('handler finished');
        return { ok: true };
      }),
    );
    await hangUp(port, '/slow', arrived.wait);

    setTimeout(() => release.open(), 200);
    await timeToClose();
    steps.push('closed');

    expect(steps).toEqual(['handler finished', 'closed']);
  });

  it('should close at once when nothing is running, after answered requests and uploads cut off before any handler', async () => {
    const port = await serve((instance) => {
      instance.get('/fast', () => Promise.resolve({ ok: true }));
      instance.post('/upload', () => Promise.resolve({ ok: true }));
    });
    for (let index = 0; index < 20; index += 1) await fetch(`http://127.0.0.1:${port}/fast`);
    const cut = httpRequest({
      port,
      host: '127.0.0.1',
      path: '/upload',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
    });
    cut.on('error', () => undefined);
    cut.write('{"partial":');
    await new Promise((resolve) => setTimeout(resolve, 100));
    cut.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(await timeToClose()).toBeLessThan(1_000);
  });

  it('should give up waiting after the drain time, so a handler that never ends cannot hold a shutdown forever', async () => {
    const arrived = gate();
    const port = await serve(
      (instance) =>
        instance.get('/stuck', async () => {
          arrived.open();
          await new Promise(() => undefined);
        }),
      300,
    );
    await hangUp(port, '/stuck', arrived.wait);

    const waited = await timeToClose();

    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3_000);
  });
});
