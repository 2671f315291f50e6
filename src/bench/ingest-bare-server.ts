/**
 * The baseline of the webhook ingest benchmark, run as its own process by
 * `ingest.ts`: a bare Fastify server with the route Waymark's platform
 * webhooks use, the same raw-body parser and the same body limit, that answers
 * what Waymark answers without doing anything (no signature check, no store
 * look-up, no database). It prints `listening PORT` on stdout once it listens.
 */
import Fastify from 'fastify';

const BODY_LIMIT = 1_048_576;

const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
app.removeAllContentTypeParsers();
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post<{ Params: { platform: string; storeId: string } }>('/webhooks/:platform/:storeId', async (_request, reply) =>
  reply.status(200).send({ received: true, duplicate: false }),
);

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);

const stop = (): void => {
  void app.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
