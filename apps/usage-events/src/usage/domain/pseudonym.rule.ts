import type { FieldIssue } from './occurrence';
import { usageErrors } from './usage.errors';

/**
 * An NHS number is 10 digits. The contracts' Pseudonym pattern already demands a `psn_` prefix;
 * this catches a real identifier wrapped in that prefix (`psn_9434765919`). Pseudonyms should
 * therefore be base64url rather than decimal or hex, which can contain such runs by chance.
 */
const NHS_NUMBER_LIKE = /[0-9]{10}/;

export function looksLikeNhsNumber(value: string): boolean {
  return NHS_NUMBER_LIKE.test(value);
}

/**
 * Checks every named pseudonym (JSON Pointer → value; absent values are skipped) and refuses them
 * all at once. The offending values are never echoed: they may be real patient identifiers.
 * @throws DomainError USAGE.IDENTIFIER_IN_PSEUDONYM (kind invalid) naming each field.
 */
export function assertPseudonymous(fields: Readonly<Record<string, string | undefined>>): void {
  const issues: FieldIssue[] = Object.entries(fields)
    .filter(([, value]) => value !== undefined && looksLikeNhsNumber(value))
    .map(([pointer]) => ({ pointer, rule: 'pseudonym', detail: `${pointer} contains a run of 10 digits that looks like an NHS number` }));
  if (issues.length > 0) throw usageErrors.identifierInPseudonym(issues);
}
