import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { DashboardRole, DashboardUserStore, PasswordHasher, StoreMember } from '../core/ports/session.port.js';

/** Who and what may act for a store: its API keys and its dashboard users. */

export type ApiKeyAdmin = {
  createApiKey(storeId: string, name: string | null, now: string): Promise<{ id: string; key: string; prefix: string }>;
  listApiKeys(
    storeId: string,
  ): Promise<{ id: string; prefix: string; name: string | null; createdAt: string; lastUsedAt: string | null }[]>;
  revokeApiKey(storeId: string, keyId: string, now: string): Promise<boolean>;
};

export const MIN_PASSWORD_LENGTH = 10;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Trimmed and lower-cased, as accounts are kept; refuses what is not an address. */
export function normaliseEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) throw new DomainError(ErrorCode.InvalidInput, 'enter a valid email');
  return email;
}

export async function createStoreApiKey(
  deps: { apiKeys: ApiKeyAdmin; clock: Clock },
  storeId: string,
  name: string,
): Promise<{ key: string; prefix: string }> {
  const label = name.trim().slice(0, 80);
  const created = await deps.apiKeys.createApiKey(storeId, label.length > 0 ? label : null, deps.clock.now());
  return { key: created.key, prefix: created.prefix };
}

export async function revokeStoreApiKey(
  deps: { apiKeys: ApiKeyAdmin; clock: Clock },
  storeId: string,
  keyId: string,
): Promise<void> {
  if (!(await deps.apiKeys.revokeApiKey(storeId, keyId, deps.clock.now())))
    throw new DomainError(ErrorCode.NotFound, 'API key not found');
}

/**
 * Gives a user access to the store with a role. An existing user keeps their
 * password (a password typed here is ignored, so an owner cannot take over
 * another store's account); a new user needs a first password.
 */
export async function addStoreUser(
  deps: { users: DashboardUserStore; passwords: PasswordHasher; clock: Clock },
  storeId: string,
  input: { email: string; role: DashboardRole; password: string },
): Promise<{ userId: string; created: boolean }> {
  const email = normaliseEmail(input.email);
  const now = deps.clock.now();
  const existing = await deps.users.findUserByEmail(email);
  if (existing) {
    if (input.role !== 'owner') {
      const members = await deps.users.listStoreMembers(storeId);
      if (!canRemoveMember(members, existing.id) && members.some((m) => m.userId === existing.id))
        throw new DomainError(ErrorCode.InvalidTransition, 'a store keeps at least one owner: add another owner first');
    }
    await deps.users.grantStoreAccess(existing.id, storeId, input.role, now);
    return { userId: existing.id, created: false };
  }
  if (input.password.length < MIN_PASSWORD_LENGTH)
    throw new DomainError(
      ErrorCode.InvalidInput,
      `${email} has no account yet: set a first password of at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  const user = await deps.users.createUser(email, await deps.passwords.hash(input.password), now);
  await deps.users.grantStoreAccess(user.id, storeId, input.role, now);
  return { userId: user.id, created: true };
}

/** Whether a member may be removed: a store always keeps at least one owner. */
export function canRemoveMember(members: StoreMember[], userId: string): boolean {
  const member = members.find((m) => m.userId === userId);
  if (!member) return false;
  return member.role !== 'owner' || members.filter((m) => m.role === 'owner').length > 1;
}

export async function removeStoreUser(
  deps: { users: DashboardUserStore },
  storeId: string,
  userId: string,
): Promise<void> {
  const members = await deps.users.listStoreMembers(storeId);
  if (!members.some((m) => m.userId === userId)) throw new DomainError(ErrorCode.NotFound, 'user not found');
  if (!canRemoveMember(members, userId))
    throw new DomainError(ErrorCode.InvalidTransition, 'a store keeps at least one owner: add another owner first');
  await deps.users.revokeStoreAccess(userId, storeId);
}
