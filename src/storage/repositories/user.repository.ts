import type { Kysely } from 'kysely';

import { DomainError, ErrorCode } from '../../core/errors.js';
import type { Database } from '../database.js';
import { newId } from '../ids.js';

export const UserRole = { Owner: 'owner', Staff: 'staff' } as const;
export type UserRole = (typeof UserRole)[keyof typeof UserRole];

export type User = { id: string; email: string; createdAt: string };
export type UserWithHash = User & { passwordHash: string };

export class UserRepository {
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
}
