/**
 * Refusing patient identifiers where only pseudonyms or free text may go: the one rule every
 * service applies (usage-events to pseudonyms, concerns to the words taken down at intake).
 * The offending values are never echoed back: they may be real identifiers.
 */

/** An NHS number is 10 digits. */
const NHS_NUMBER_RUN = /[0-9]{10}/;
/** …and is often written 3-3-4 with spaces or dashes (`943 476 5919`). */
const NHS_NUMBER_GROUPED = /(?<![0-9])[0-9]{3}[ -][0-9]{3}[ -][0-9]{4}(?![0-9])/;

/**
 * Whether a pseudonym holds a run of 10 digits. The contracts' Pseudonym pattern already demands
 * a `psn_` prefix; this catches a real identifier wrapped in that prefix (`psn_9434765919`).
 * Pseudonyms should therefore be base64url rather than decimal or hex, which can hold such runs by chance.
 */
export function looksLikeNhsNumber(value: string): boolean {
  return NHS_NUMBER_RUN.test(value);
}

/** Whether free text holds something that reads as an NHS number: 10 digits in a row, or grouped 3-3-4. */
export function textHoldsNhsNumber(text: string): boolean {
  return NHS_NUMBER_RUN.test(text) || NHS_NUMBER_GROUPED.test(text);
}

/** One field refused for holding an identifier, by JSON Pointer; never its value. */
export interface IdentifierIssue {
  readonly pointer: string;
  readonly rule: 'pseudonym' | 'no-identifier';
  readonly detail: string;
}

/** The named pseudonyms (JSON Pointer → value; absent values skipped) that hold an NHS-number-like run. */
export function pseudonymIssues(fields: Readonly<Record<string, string | undefined>>): IdentifierIssue[] {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined && looksLikeNhsNumber(value))
    .map(([pointer]) => ({ pointer, rule: 'pseudonym', detail: `${pointer} contains a run of 10 digits that looks like an NHS number` }));
}

/** The named free-text fields (JSON Pointer → text; absent ones skipped) that hold something reading as an NHS number. */
export function freeTextIssues(fields: Readonly<Record<string, string | undefined>>): IdentifierIssue[] {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined && textHoldsNhsNumber(value))
    .map(([pointer]) => ({
      pointer,
      rule: 'no-identifier',
      detail: `${pointer} contains 10 digits (in a row or grouped 3-3-4) that read as an NHS number; describe the concern without identifying anyone`,
    }));
}
