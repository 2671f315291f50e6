import type { ColumnDataType, Expression } from 'kysely';
import { sql } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

type ColumnType = ColumnDataType | Expression<unknown>;

/**
 * Column types per dialect, so migrations stay one file for both databases.
 * Frozen with the migrations that use them: change by adding, never editing.
 */
export function columnTypes(dialect: DialectName): { id: ColumnType; instant: ColumnType; text: ColumnType } {
  return dialect === 'postgres'
    ? { id: 'uuid', instant: sql`timestamptz`, text: 'text' }
    : { id: 'text', instant: 'text', text: 'text' };
}
