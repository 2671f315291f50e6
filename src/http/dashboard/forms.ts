import { z } from 'zod';

import { DomainError, ErrorCode } from '../../core/errors.js';

/** A form or query body read through a schema; a mismatch is a 400 page, never a 500. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') ?? '';
  throw new DomainError(ErrorCode.InvalidInput, `${where ? `${where}: ` : ''}${issue?.message ?? 'invalid form'}`);
}

/** A checkbox group posts one value, several (an array) or none at all. */
export const checkboxValues = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

/** A single text field; a repeated field keeps its first value. */
export const textField = (max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')))
    .pipe(z.string().max(max));

const IdParams = z.object({ id: z.uuid() });

/**
 * The `:id` of a dashboard URL. A malformed id names nothing, so it is answered
 * like an id that does not exist (404), not as a form error: it comes from a
 * mistyped or cut-off link, not from a form.
 */
export function idParamOf(params: unknown): string {
  const parsed = IdParams.safeParse(params);
  if (!parsed.success) throw new DomainError(ErrorCode.NotFound, 'nothing here: the link is incomplete or mistyped');
  return parsed.data.id;
}
