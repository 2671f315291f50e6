import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type {
  DashboardSession,
  DashboardUser,
  DashboardUserStore,
  PasswordHasher,
  SessionStore,
  StoreMembership,
} from '../core/ports/session.port.js';

export type SessionPolicy = {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however active. */
  absoluteMs: number;
};

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 8 * 60 * 60_000, absoluteMs: 7 * 24 * 60 * 60_000 };

export type SessionDeps = {
  sessions: SessionStore;
  users: DashboardUserStore;
  passwords: PasswordHasher;
  clock: Clock;
  policy: SessionPolicy;
};

/** Who is signed in, and the store they are looking at (null when they may open none). */
export type SignedIn = {
  session: DashboardSession;
  user: DashboardUser;
  memberships: StoreMembership[];
  current: StoreMembership | null;
};

/** Recording activity on every request would turn page views into writes; once a minute keeps idle expiry honest. */
const TOUCH_INTERVAL_MS = 60_000;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** 256 random bits, URL-safe: sessions, CSRF tokens, invitation links. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of two tokens of any length. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

let dummyHash: Promise<string> | null = null;

/**
 * Checks an email and password and opens a new session. An unknown email and
 * a wrong password give the same answer (null) after the same work: a
 * password is hashed in both cases, so timing does not tell which emails
 * exist. The token of any session the browser already had is ended, so a
 * sign-in always starts a fresh session (no fixation).
 */
export async function signIn(
  deps: SessionDeps,
  input: { email: string; password: string; previousToken?: string | undefined },
): Promise<{ token: string; signedIn: SignedIn } | null> {
  const user = await deps.users.findUserByEmail(input.email);
  if (!user) {
    dummyHash ??= deps.passwords.hash(newToken());
    await deps.passwords.verify(input.password, await dummyHash);
    return null;
  }
  if (!(await deps.passwords.verify(input.password, user.passwordHash))) return null;
  return openSession(deps, { user, previousToken: input.previousToken });
}

/**
 * Opens a session for a user whose identity is already established (by a
 * password just checked, or an invitation just accepted with a password just
 * chosen), ending the browser's previous session if it had one.
 */
export async function openSession(
  deps: SessionDeps,
  input: { user: { id: string; email: string }; previousToken?: string | undefined },
): Promise<{ token: string; signedIn: SignedIn }> {
  const now = deps.clock.now();
  const { user } = input;
  if (input.previousToken) {
    const previous = await deps.sessions.findSessionByTokenHash(hashSessionToken(input.previousToken));
    if (previous) await deps.sessions.deleteSession(previous.id);
  }
  // Sign-ins are rare next to page views: a good moment to clear sessions nobody will use again.
  await deps.sessions.deleteExpiredSessions(now, new Date(Date.parse(now) - deps.policy.idleMs).toISOString());

  const memberships = await deps.users.listMemberships(user.id);
  const token = newToken();
  const session = await deps.sessions.createSession(
    {
      tokenHash: hashSessionToken(token),
      userId: user.id,
      storeId: memberships[0]?.storeId ?? null,
      csrfToken: newToken(),
      expiresAt: new Date(Date.parse(now) + deps.policy.absoluteMs).toISOString(),
    },
    now,
  );
  return {
    token,
    signedIn: { session, user: { id: user.id, email: user.email }, memberships, current: memberships[0] ?? null },
  };
}

/**
 * The signed-in user behind a session token, or null when the token is
 * unknown, past its absolute end or idle too long (such a session is deleted).
 * Store access is read on every request, so a user removed from a store loses
 * it at once.
 */
export async function resolveSession(deps: SessionDeps, token: string): Promise<SignedIn | null> {
  const now = deps.clock.now();
  const session = await deps.sessions.findSessionByTokenHash(hashSessionToken(token));
  if (!session) return null;
  const nowMs = Date.parse(now);
  if (Date.parse(session.expiresAt) <= nowMs || Date.parse(session.lastSeenAt) + deps.policy.idleMs <= nowMs) {
    await deps.sessions.deleteSession(session.id);
    return null;
  }
  const user = await deps.users.findUserById(session.userId);
  if (!user) return null;
  const memberships = await deps.users.listMemberships(session.userId);
  if (nowMs - Date.parse(session.lastSeenAt) >= TOUCH_INTERVAL_MS) {
    await deps.sessions.touchSession(session.id, now);
    session.lastSeenAt = now;
  }
  const current = memberships.find((m) => m.storeId === session.storeId) ?? memberships[0] ?? null;
  return { session, user, memberships, current };
}

export async function signOut(deps: Pick<SessionDeps, 'sessions'>, token: string): Promise<void> {
  const session = await deps.sessions.findSessionByTokenHash(hashSessionToken(token));
  if (session) await deps.sessions.deleteSession(session.id);
}

/** Opens another of the user's stores; a store they may not open is not found. */
export async function switchStore(
  deps: Pick<SessionDeps, 'sessions' | 'clock'>,
  signedIn: SignedIn,
  storeId: string,
): Promise<StoreMembership> {
  const membership = signedIn.memberships.find((m) => m.storeId === storeId);
  if (!membership) throw new DomainError(ErrorCode.NotFound, 'store not found');
  await deps.sessions.setSessionStore(signedIn.session.id, storeId, deps.clock.now());
  return membership;
}
