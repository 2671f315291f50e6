import type { FastifyReply } from 'fastify';

export type CsvCell = string | number | null | undefined;

/** Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"), tab and CR included. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field per RFC 4180 (quoted when it holds a comma, quote or line
 * break; quotes doubled). Text that a spreadsheet would run as a formula is
 * prefixed with a single quote; numbers are data and stay as they are.
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole document: a header line, then one line per row, CRLF-terminated. */
export function toCsv(columns: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [columns, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

export function sendCsv(reply: FastifyReply, filename: string, csv: string): FastifyReply {
  const safeName = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply
    .status(200)
    .type('text/csv; charset=utf-8; header=present')
    .header('content-disposition', `attachment; filename="${safeName}"`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(csv);
}
