import type { Kysely } from 'kysely';

import { DomainError, ErrorCode } from '../../core/errors.js';
import type { DashboardUserStore, StoreMember, StoreMembership } from '../../core/ports/session.port.js';
import type { Database } from '../database.js';
import { newId } from '../ids.js';

export const UserRole = { Owner: 'owner', Staff: 'staff' } as const;
export type UserRole = (typeof UserRole)[keyof typeof UserRole];

export type User = { id: string; email: string; createdAt: string };
export type UserWithHash = User & { passwordHash: string };

export class UserRepository implements DashboardUserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createUser(email: string, passwordHash: string, now: string): Promise<User> {
    const normalised = email.trim().toLowerCase();
    const existing = await this.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', normalised)
      .executeTakeFirst();
    if (existing) throw new DomainError(ErrorCode.Conflict, `a user with email ${normalised} already exists`);
    const id = newId();
    await this.db
      .insertInto('app_user')
      .values({ id, email: normalised, password_hash: passwordHash, created_at: now, updated_at: now })
      .execute();
    return { id, email: normalised, createdAt: now };
  }

  async findUserByEmail(email: string): Promise<UserWithHash | undefined> {
    const row = await this.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return row
      ? { id: row.id, email: row.email, createdAt: row.created_at, passwordHash: row.password_hash }
      : undefined;
  }

  async grantStoreAccess(userId: string, storeId: string, role: UserRole, now: string): Promise<void> {
    await this.db
      .insertInto('user_store_access')
      .values({ user_id: userId, store_id: storeId, role, created_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'store_id']).doUpdateSet({ role }))
      .execute();
  }

  async listStoreAccess(userId: string): Promise<{ storeId: string; role: UserRole }[]> {
    const rows = await this.db
      .selectFrom('user_store_access')
      .select(['store_id', 'role'])
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => ({ storeId: r.store_id, role: r.role as UserRole }));
  }

  async findUserById(id: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('app_user')
      .select(['id', 'email', 'created_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { id: row.id, email: row.email, createdAt: row.created_at } : undefined;
  }

  /** The stores a user may open, by name. */
  async listMemberships(userId: string): Promise<StoreMembership[]> {
    const rows = await this.db
      .selectFrom('user_store_access')
      .innerJoin('store', 'store.id', 'user_store_access.store_id')
      .select(['store.id as storeId', 'store.name as storeName', 'store.slug as storeSlug', 'user_store_access.role'])
      .where('user_store_access.user_id', '=', userId)
      .orderBy('store.name')
      .orderBy('store.id')
      .execute();
    return rows.map((r) => ({
      storeId: r.storeId,
      storeName: r.storeName,
      storeSlug: r.storeSlug,
      role: r.role as UserRole,
    }));
  }

  /** Who may open a store, owners first. */
  async listStoreMembers(storeId: string): Promise<StoreMember[]> {
    const rows = await this.db
      .selectFrom('user_store_access')
      .innerJoin('app_user', 'app_user.id', 'user_store_access.user_id')
      .select(['app_user.id as userId', 'app_user.email', 'user_store_access.role', 'user_store_access.created_at'])
      .where('user_store_access.store_id', '=', storeId)
      .orderBy('user_store_access.role')
      .orderBy('app_user.email')
      .execute();
    return rows.map((r) => ({ userId: r.userId, email: r.email, role: r.role as UserRole, since: r.created_at }));
  }

  async revokeStoreAccess(userId: string, storeId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('user_store_access')
      .where('user_id', '=', userId)
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
