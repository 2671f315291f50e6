import { describe, expect, it } from 'vitest';

import { parseOrderRows } from './import-orders-csv.js';

const NOW = '2026-11-26T10:00:00.000Z';

describe('parseOrderRows', () => {
  it('should report every problem of a row with its line number, and keep only the rows without any', () => {
    const { orders, errors } = parseOrderRows(
      [
        { line: 2, record: { external_id: 'A1', number: '#1', email: 'ada@example.com' } },
        { line: 3, record: { external_id: 'A2', number: '#2', email: 'not-an-email', placed_at: 'yesterday' } },
        { line: 4, record: { external_id: 'A3', number: '#3', order_status: 'shipped' } },
      ],
      NOW,
    );

    expect(errors.map((error) => `${error.line} ${error.message.split(':')[0]}`)).toEqual([
      '3 email',
      '3 placed_at',
      '4 order_status',
    ]);
    expect(errors[1]?.message).toContain('use ISO-8601');
    expect(orders).toHaveLength(1);
  });
});
