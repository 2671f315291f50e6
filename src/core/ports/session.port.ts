/**
 * What the merchant dashboard needs from storage to know who is signed in and
 * what they may see: sessions, users and their access to stores.
 */

export const DashboardRole = { Owner: 'owner', Staff: 'staff' } as const;
export type DashboardRole = (typeof DashboardRole)[keyof typeof DashboardRole];

export function isDashboardRole(value: unknown): value is DashboardRole {
  return value === DashboardRole.Owner || value === DashboardRole.Staff;
}

/** One signed-in browser. The token itself is never stored, only its hash. */
export type DashboardSession = {
  id: string;
  userId: string;
  /** The store the user last chose; null until chosen (the first store is used). */
  storeId: string | null;
  /** The synchronizer token every form of this session must carry. */
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end of the session, however active it stays. */
  expiresAt: string;
};

export type NewDashboardSession = {
  tokenHash: string;
  userId: string;
  storeId: string | null;
  csrfToken: string;
  expiresAt: string;
};

export interface SessionStore {
  createSession(input: NewDashboardSession, now: string): Promise<DashboardSession>;
  findSessionByTokenHash(tokenHash: string): Promise<DashboardSession | undefined>;
  /** Records activity, which pushes the idle expiry back. */
  touchSession(id: string, now: string): Promise<void>;
  setSessionStore(id: string, storeId: string, now: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Deletes sessions past their absolute end or idle since `idleBefore`; returns how many. */
  deleteExpiredSessions(now: string, idleBefore: string): Promise<number>;
}

export type DashboardUser = { id: string; email: string };

/** A store a user may open, and as what. */
export type StoreMembership = { storeId: string; storeName: string; storeSlug: string; role: DashboardRole };

/** A user who may open a store, for the store's users page. */
export type StoreMember = { userId: string; email: string; role: DashboardRole; since: string };

export interface DashboardUserStore {
  findUserByEmail(email: string): Promise<(DashboardUser & { passwordHash: string }) | undefined>;
  findUserById(id: string): Promise<DashboardUser | undefined>;
  createUser(email: string, passwordHash: string, now: string): Promise<DashboardUser>;
  listMemberships(userId: string): Promise<StoreMembership[]>;
  listStoreMembers(storeId: string): Promise<StoreMember[]>;
  grantStoreAccess(userId: string, storeId: string, role: DashboardRole, now: string): Promise<void>;
  revokeStoreAccess(userId: string, storeId: string): Promise<boolean>;
}

/** An invitation to a store's dashboard, open until accepted or expired. */
export type StoreInvitation = {
  id: string;
  storeId: string;
  storeName: string;
  email: string;
  role: DashboardRole;
  createdAt: string;
  expiresAt: string;
};

export interface InvitationStore {
  createInvitation(
    input: { storeId: string; email: string; role: DashboardRole; tokenHash: string; expiresAt: string },
    now: string,
  ): Promise<{ id: string }>;
  /** The invitation of this token hash, when it is still open at `now`. */
  findOpenInvitation(tokenHash: string, now: string): Promise<StoreInvitation | undefined>;
  /** Marks it accepted if it is still open; false when it was used, revoked or expired meanwhile. */
  acceptInvitation(id: string, now: string): Promise<boolean>;
  listOpenInvitations(storeId: string, now: string): Promise<StoreInvitation[]>;
  revokeInvitation(storeId: string, id: string): Promise<boolean>;
}

/** Password hashing (scrypt in `adapters/auth/password.ts`). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}
