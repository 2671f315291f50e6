import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { withStatementCache } from './create-database.js';

function counted(): { sqlite: BetterSqlite3.Database; prepares: string[] } {
  const sqlite = new BetterSqlite3(':memory:');
  const prepares: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = (sqlText: string) => {
    prepares.push(sqlText);
    return prepare(sqlText);
  };
  return { sqlite, prepares };
}

describe('withStatementCache', () => {
  it('should prepare each SQL text once and run it with new parameters every time', () => {
    const { sqlite, prepares } = counted();
    const db = withStatementCache(sqlite);
    db.prepare('create table t (id integer primary key, name text)').run([]);

    for (let id = 1; id <= 3; id += 1) db.prepare('insert into t (id, name) values (?, ?)').run([id, `n${id}`]);
    const rows = db.prepare('select name from t where id >= ? order by id').all([2]);

    expect(rows).toEqual([{ name: 'n2' }, { name: 'n3' }]);
    expect(prepares.filter((text) => text.startsWith('insert'))).toHaveLength(1);
    db.close();
  });

  it('should drop the least recently used statement beyond its capacity', () => {
    const { sqlite, prepares } = counted();
    const db = withStatementCache(sqlite, 2);

    db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 1');
    db.prepare('select 3');
    db.prepare('select 1');
    db.prepare('select 2');

    expect(prepares).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
    db.close();
  });

  it('should see a column added after the statement was kept', () => {
    const db = withStatementCache(new BetterSqlite3(':memory:'));
    db.prepare('create table t (id integer primary key)').run([]);
    db.prepare('insert into t (id) values (?)').run([1]);
    expect(db.prepare('select * from t').all([])).toEqual([{ id: 1 }]);

    db.prepare('alter table t add column flag integer not null default 0').run([]);

    expect(db.prepare('select * from t').all([])).toEqual([{ id: 1, flag: 0 }]);
    db.close();
  });
});
