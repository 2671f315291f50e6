import { hashPassword, verifyPassword } from '../adapters/auth/password.js';
import { deliveryAlertSource } from '../app/list-attention-queue.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { PasswordHasher } from '../core/ports/session.port.js';
import type { DashboardDeps } from '../http/dashboard/dashboard-context.js';
import type { Storage } from '../storage/storage.js';

export const scryptPasswords: PasswordHasher = { hash: hashPassword, verify: verifyPassword };

/** The dashboard's dependencies over the storage layer. */
export function buildDashboardDeps(
  storage: Storage,
  clock: Clock,
  extra: Partial<
    Pick<
      DashboardDeps,
      | 'webhookEndpoints'
      | 'webhookDeliveries'
      | 'templates'
      | 'sessionPolicy'
      | 'loginRateLimit'
      | 'passwords'
      | 'connection'
      | 'carrierClients'
      | 'staffMail'
    >
  > = {},
): DashboardDeps {
  const repositories = storage.repositories;
  return {
    uow: storage,
    clock,
    sessions: repositories.sessions,
    users: repositories.users,
    invitations: repositories.invitations,
    passwords: extra.passwords ?? scryptPasswords,
    settings: repositories.stores,
    apiKeys: repositories.apiKeys,
    sealer: storage.sealer,
    attempts: repositories.rateBudget,
    analytics: repositories.analytics,
    attention: repositories.attention,
    alerts: deliveryAlertSource({ uow: storage, clock }),
    carrierAccounts: repositories.carrierAccounts,
    ...(extra.webhookEndpoints ? { webhookEndpoints: extra.webhookEndpoints } : {}),
    ...(extra.webhookDeliveries ? { webhookDeliveries: extra.webhookDeliveries } : {}),
    ...(extra.templates ? { templates: extra.templates } : {}),
    ...(extra.sessionPolicy ? { sessionPolicy: extra.sessionPolicy } : {}),
    ...(extra.loginRateLimit ? { loginRateLimit: extra.loginRateLimit } : {}),
    ...(extra.connection ? { connection: extra.connection } : {}),
    ...(extra.carrierClients ? { carrierClients: extra.carrierClients } : {}),
    ...(extra.staffMail ? { staffMail: extra.staffMail } : {}),
  };
}
