import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type {
  DashboardRole,
  DashboardUserStore,
  InvitationStore,
  PasswordHasher,
  StoreInvitation,
} from '../core/ports/session.port.js';
import { hashSessionToken, newToken } from './manage-dashboard-sessions.js';
import { addStoreUser, MIN_PASSWORD_LENGTH, normaliseEmail } from './manage-store-access.js';

/** How long an invitation link stays valid. */
export const INVITATION_DAYS = 7;

/** Used, withdrawn, expired or never made: one answer for all, revealing nothing. */
export function invitationNotValid(): DomainError {
  return new DomainError(
    ErrorCode.NotFound,
    'This invitation link is not valid: it was used, withdrawn or has expired. Ask the store owner for a new one.',
  );
}

export type AccessDeps = {
  users: DashboardUserStore;
  invitations: InvitationStore;
  passwords: PasswordHasher;
  clock: Clock;
};

/**
 * Gives someone access to the store. An existing account gets it at once. A
 * new address gets an invitation link, to be passed on by the owner, with
 * which the person chooses their own password, unless the owner set a first
 * password here (then the account is created as before).
 */
export async function addOrInviteStoreUser(
  deps: AccessDeps,
  storeId: string,
  input: { email: string; role: DashboardRole; password: string },
): Promise<{ kind: 'added' } | { kind: 'invited'; id: string; token: string; email: string; expiresAt: string }> {
  const email = normaliseEmail(input.email);
  if (input.password.length > 0 || (await deps.users.findUserByEmail(email))) {
    await addStoreUser(deps, storeId, { ...input, email });
    return { kind: 'added' };
  }
  const now = deps.clock.now();
  // 256 random bits in the link; only their hash is stored.
  const token = newToken();
  const expiresAt = new Date(Date.parse(now) + INVITATION_DAYS * 86_400_000).toISOString();
  const { id } = await deps.invitations.createInvitation(
    { storeId, email, role: input.role, tokenHash: hashSessionToken(token), expiresAt },
    now,
  );
  return { kind: 'invited', id, token, email, expiresAt };
}

/** The open invitation a link names, with whether its address already has an account. */
export async function openInvitation(
  deps: Pick<AccessDeps, 'users' | 'invitations' | 'clock'>,
  token: string,
): Promise<{ invitation: StoreInvitation; hasAccount: boolean }> {
  const invitation = await deps.invitations.findOpenInvitation(hashSessionToken(token), deps.clock.now());
  if (!invitation) throw invitationNotValid();
  return { invitation, hasAccount: (await deps.users.findUserByEmail(invitation.email)) !== undefined };
}

/**
 * Accepts an invitation: a new address becomes an account with the password
 * the person chose; an existing account just gains the store. The link is
 * used up, the account made and the access granted in one transaction: a link
 * works once, even from two tabs at the same moment, and a failure in between
 * leaves it usable.
 */
export async function acceptStoreInvitation(
  deps: AccessDeps & { uow: UnitOfWork },
  token: string,
  password: string,
): Promise<{ email: string; created: boolean }> {
  const { invitation, hasAccount } = await openInvitation(deps, token);
  if (!hasAccount && password.length < MIN_PASSWORD_LENGTH)
    throw new DomainError(ErrorCode.InvalidInput, `choose a password of at least ${MIN_PASSWORD_LENGTH} characters`);
  // Hashed before the transaction: scrypt takes a noticeable moment, and a transaction should not wait on it.
  const passwordHash = hasAccount ? null : await deps.passwords.hash(password);
  const now = deps.clock.now();
  return deps.uow.transaction(async (stores) => {
    if (!(await stores.invitations.acceptInvitation(invitation.id, now))) throw invitationNotValid();
    const existing = await stores.users.findUserByEmail(invitation.email);
    if (!existing && passwordHash === null)
      throw new DomainError(
        ErrorCode.Conflict,
        'the account of this address was removed meanwhile: open the link again',
      );
    const user = existing ?? (await stores.users.createUser(invitation.email, passwordHash!, now));
    await stores.users.grantStoreAccess(user.id, invitation.storeId, invitation.role, now);
    return { email: invitation.email, created: !existing };
  });
}

export async function listStoreInvitations(
  deps: Pick<AccessDeps, 'invitations' | 'clock'>,
  storeId: string,
): Promise<StoreInvitation[]> {
  return deps.invitations.listOpenInvitations(storeId, deps.clock.now());
}

export async function withdrawStoreInvitation(
  deps: Pick<AccessDeps, 'invitations'>,
  storeId: string,
  id: string,
): Promise<void> {
  if (!(await deps.invitations.revokeInvitation(storeId, id)))
    throw new DomainError(ErrorCode.NotFound, 'invitation not found');
}
