import { describe, expect, it } from 'vitest';

import { isUuid, newId } from './ids.js';

describe('newId', () => {
  it('should make distinct UUIDv7 ids that sort in the order they were made, across many refills of its random pool', () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => newId(1_790_000_000_000 + Math.floor(index / 7)));

    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => isUuid(id) && id[14] === '7' && '89ab'.includes(id[19]!))).toBe(true);
  });

  it('should carry the millisecond it was made in its first 48 bits', () => {
    const at = Date.UTC(2030, 0, 1);

    const id = newId(at);

    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });
});
