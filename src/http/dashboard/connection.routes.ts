import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import {
  describeStoreConnection,
  PLATFORM_CREDENTIAL_FIELDS,
  testStoreConnection,
  updateStoreConnectionSecrets,
} from '../../app/manage-store-connection.js';
import { registerPlatformWebhooks, type WebhookRegistration } from '../../app/register-platform-webhooks.js';
import { DomainError, ErrorCode, isDomainError } from '../../core/errors.js';
import {
  CONNECTION_UNAVAILABLE,
  connectionCheckView,
  connectionParts,
  registrationView,
} from '../../web/dashboard/connection.view.js';
import type { ConnectionView } from '../../web/dashboard/render-dashboard.js';
import { currentStoreOf, redirectAfterPost, renderPage, type DashboardDeps } from './dashboard-context.js';
import { parseForm, textField } from './forms.js';
import { base, formError } from './settings.routes.js';

const OWNER_ONLY = { config: { dashboardOwnerOnly: true } } as const;
const PAGE = '/dashboard/settings/connection';

type Outcome = Partial<Pick<ConnectionView, 'error' | 'check' | 'registration'>>;

/**
 * Settings → Connection: the store's platform and where its webhooks must
 * arrive, which credentials are set (never their values), a form to replace
 * them, and two checks — a cheap authenticated call, and webhook registration.
 * A check's result is shown on the page it answers rather than stored, so it
 * is rendered in place instead of redirected to.
 */
export function registerConnectionRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  function connectionDeps() {
    if (!deps.connection) throw new DomainError(ErrorCode.NotFound, 'platform connections are not configured');
    return deps.connection;
  }

  async function connectionPage(request: FastifyRequest, reply: FastifyReply, outcome: Outcome = {}) {
    const connection = deps.connection;
    const parts = connection
      ? connectionParts(await describeStoreConnection(connection, currentStoreOf(request).id))
      : CONNECTION_UNAVAILABLE;
    return renderPage(
      reply,
      'settings-connection',
      {
        ...base(request, 'connection', 'Connection'),
        ...parts,
        error: outcome.error ?? null,
        check: outcome.check ?? null,
        registration: outcome.registration ?? null,
      },
      { status: outcome.error ? 400 : 200 },
    );
  }

  app.get('/settings/connection', OWNER_ONLY, (request, reply) => connectionPage(request, reply));

  app.post('/settings/connection', OWNER_ONLY, async (request, reply) => {
    const connection = connectionDeps();
    const storeId = currentStoreOf(request).id;
    const store = await connection.stores.findStoreById(storeId);
    if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');
    // Only the fields this platform takes are read from the form; the rest of the body is ignored.
    const names = (PLATFORM_CREDENTIAL_FIELDS[store.platform] ?? []).map((f) => f.name);
    const { webhookSecret, ...credentials } = parseForm(
      z.object(Object.fromEntries([...names, 'webhookSecret'].map((name) => [name, textField(4096)]))),
      request.body,
    );
    try {
      await updateStoreConnectionSecrets({ stores: connection.stores, clock: deps.clock }, storeId, {
        credentials,
        webhookSecret,
      });
    } catch (error) {
      return connectionPage(request, reply, { error: formError(error) });
    }
    return redirectAfterPost(reply, `${PAGE}?done=connection-saved`);
  });

  app.post('/settings/connection/test', OWNER_ONLY, async (request, reply) => {
    const connection = connectionDeps();
    const result = await testStoreConnection(
      { stores: connection.stores, platforms: connection.platforms, clock: deps.clock },
      currentStoreOf(request).id,
    );
    return connectionPage(request, reply, { check: connectionCheckView(result) });
  });

  app.post('/settings/connection/webhooks', OWNER_ONLY, async (request, reply) => {
    const connection = connectionDeps();
    const storeId = currentStoreOf(request).id;
    const store = await connection.stores.findStoreById(storeId);
    if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');
    let registration: WebhookRegistration;
    try {
      registration = await registerPlatformWebhooks(
        { uow: deps.uow, platforms: connection.platforms, publicUrl: connection.publicUrl },
        storeId,
      );
    } catch (error) {
      // Secrets sealed under another key cannot register anything: said on the page, like a refusal.
      if (!isDomainError(error) || error.code !== ErrorCode.SecretKeyMismatch) throw error;
      registration = {
        status: 'failed',
        callbackUrl: '',
        topic: null,
        error: { code: error.code, message: error.message },
      };
    }
    return connectionPage(request, reply, { registration: registrationView(registration, store.platform) });
  });
}
