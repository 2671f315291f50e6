import { describe, expect, it } from 'vitest';

import { csvField, toCsv } from './csv.js';
import { safeNextPath } from './dashboard-context.js';

describe('csvField', () => {
  it.each<[string, string | number | null | undefined, string]>([
    ['plain text', 'Lyon', 'Lyon'],
    ['a comma', 'Lyon, FR', '"Lyon, FR"'],
    ['a quote', 'the "big" lamp', '"the ""big"" lamp"'],
    ['a line break', 'line 1\nline 2', '"line 1\nline 2"'],
    ['a formula', '=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['a plus sign', '+33 6 12 34 56 78', "'+33 6 12 34 56 78"],
    ['a minus sign', '-1', "'-1"],
    ['an at sign', '@cmd', "'@cmd"],
    ['a leading tab', '\tx', "'\tx"],
    ['a formula with a comma', '=HYPERLINK("x","y")', '"\'=HYPERLINK(""x"",""y"")"'],
    ['a negative number', -3, '-3'],
    ['a decimal', 97.5, '97.5'],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['not a number', Number.NaN, ''],
  ])('should write %s as RFC 4180 text without formulas', (_name, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe('toCsv', () => {
  it('should end every line, the header included, with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [null, 'y,z'],
        ],
      ),
    ).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
  });
});

describe('safeNextPath', () => {
  it.each<[unknown, string | null]>([
    ['/dashboard/orders?q=1', '/dashboard/orders?q=1'],
    ['/dashboard', '/dashboard'],
    ['/dashboard/orders/abc#parcel', null],
    ['//evil.example/dashboard', null],
    ['/dashboard//evil.example', null],
    ['https://evil.example/dashboard', null],
    ['/dashboardx', null],
    ['/dashboard/login', null],
    ['/dashboard/logout', null],
    ['/api/v1/orders', null],
    ['/dashboard/orders\\evil', null],
    [42, null],
  ])('should accept %j as a redirect target only when it is a dashboard page: %j', (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });
});
