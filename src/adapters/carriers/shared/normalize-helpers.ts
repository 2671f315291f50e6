import type { z } from 'zod';

/** One line naming where a vendor body went wrong: `result.tracking_details.0.datetime: Invalid input`. */
export function describeIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix || '(root)'}: unexpected shape`;
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return `${path || '(root)'}: ${issue.message}`;
}

/** Reports each unmapped code once per body, however many events repeat it. */
export function reportOnce(onUnmappedCode: ((code: string) => void) | undefined): ((code: string) => void) | undefined {
  if (!onUnmappedCode) return undefined;
  const seen = new Set<string>();
  return (code) => {
    if (seen.has(code)) return;
    seen.add(code);
    onUnmappedCode(code);
  };
}

export function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
