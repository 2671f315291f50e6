import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const vendor = fileURLToPath(new URL('./vendor/tracking_number_data/', import.meta.url));

describe('vendored tracking_number_data', () => {
  it('should be byte-for-byte the files the README lists', () => {
    const readme = readFileSync(`${vendor}README.md`, 'utf8');
    const listed = [...readme.matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)].map(([, hash, file]) => [file!, hash!] as const);
    expect(listed).toHaveLength(21);
    for (const [file, hash] of listed) {
      expect(
        createHash('sha256')
          .update(readFileSync(`${vendor}${file}`))
          .digest('hex'),
        file,
      ).toBe(hash);
    }
  });
});
