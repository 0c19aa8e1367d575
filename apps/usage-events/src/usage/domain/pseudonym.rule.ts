import { pseudonymIssues } from '@aal/domain';
import { usageErrors } from './usage.errors';

/**
 * Checks every named pseudonym (JSON Pointer → value; absent values are skipped) and refuses them
 * all at once, by the shared identifier rule (@aal/domain identifiers). The offending values are
 * never echoed: they may be real patient identifiers.
 * @throws DomainError USAGE.IDENTIFIER_IN_PSEUDONYM (kind invalid) naming each field.
 */
export function assertPseudonymous(fields: Readonly<Record<string, string | undefined>>): void {
  const issues = pseudonymIssues(fields);
  if (issues.length > 0) throw usageErrors.identifierInPseudonym(issues);
}
