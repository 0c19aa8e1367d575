import { isStorableText, type ValidationIssue } from '@aal/contracts';

/**
 * Deepest nesting of objects and arrays a request may carry. The deepest body any route reads, a
 * FHIR AuditEvent (`agent[].role[].coding[]`), nests 7 levels; 32 leaves room for FHIR
 * extensions while keeping every walk over a body short.
 */
export const MAX_JSON_DEPTH = 32;

/** Most text issues one refusal lists; a body with thousands of bad strings is refused as quickly. */
const MAX_TEXT_ISSUES = 20;

/** Why a parsed request part cannot be accepted, with the JSON Pointer of each offending member. */
export interface UnstorableJson {
  readonly code: 'REQUEST.TOO_DEEP' | 'REQUEST.UNSTORABLE_TEXT';
  readonly issues: readonly ValidationIssue[];
}

/** A JSON Pointer reference token (RFC 6901): `~` becomes `~0`, `/` becomes `~1`. */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Checks a parsed JSON value before anything else reads it: nesting deeper than `maxDepth`
 * (REQUEST.TOO_DEEP, reported at the first container past the limit, found without walking
 * further down) or a string or member name PostgreSQL cannot store (REQUEST.UNSTORABLE_TEXT, see
 * `isStorableText`). Iterative, so a body nested 100,000 deep cannot overflow the stack; members
 * are visited in document order. Answers undefined when the value is fine.
 */
export function findUnstorableJson(value: unknown, maxDepth = MAX_JSON_DEPTH): UnstorableJson | undefined {
  const text: ValidationIssue[] = [];
  const pending: Array<{ value: unknown; pointer: string; depth: number }> = [{ value, pointer: '', depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: v, pointer, depth } = next;
    if (typeof v === 'string') {
      if (!isStorableText(v) && text.length < MAX_TEXT_ISSUES)
        text.push({ pointer, rule: 'storable-text', message: 'holds U+0000 or an unpaired surrogate, which cannot be stored' });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth)
      return {
        code: 'REQUEST.TOO_DEEP',
        issues: [{ pointer, rule: 'max-depth', message: `nests deeper than ${maxDepth} levels of objects and arrays` }],
      };
    const members: Array<[string, unknown]> = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v);
    const pointers = members.map(([key]) => `${pointer}/${pointerToken(key)}`);
    if (!Array.isArray(v)) {
      members.forEach(([key], i) => {
        if (!isStorableText(key) && text.length < MAX_TEXT_ISSUES)
          text.push({
            pointer: pointers[i]!,
            rule: 'storable-text',
            message: 'is a member name holding U+0000 or an unpaired surrogate, which cannot be stored',
          });
      });
    }
    for (let i = members.length - 1; i >= 0; i--) pending.push({ value: members[i]![1], pointer: pointers[i]!, depth: depth + 1 });
  }
  return text.length > 0 ? { code: 'REQUEST.UNSTORABLE_TEXT', issues: text } : undefined;
}
