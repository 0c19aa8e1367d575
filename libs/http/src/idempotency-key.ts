import { DomainError } from '@aal/domain';
import { createHash } from 'node:crypto';

/** The request header carrying a client-chosen idempotency key (IETF draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set to `true` on a response that was replayed from an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** 1-200 visible ASCII characters (0x21-0x7E): no spaces, no control or non-ASCII characters. */
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Reads an optional Idempotency-Key header value: `undefined` when absent.
 * @throws DomainError IDEMPOTENCY.KEY_INVALID (kind invalid) when present but malformed.
 */
export function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!KEY.test(value)) {
    throw new DomainError('IDEMPOTENCY.KEY_INVALID', 'invalid', 'the Idempotency-Key header must be 1-200 visible ASCII characters', {
      errors: [{ pointer: '', rule: 'idempotency-key', detail: 'Idempotency-Key must be 1-200 visible ASCII characters (0x21-0x7E)' }],
    });
  }
  return value;
}

/**
 * Canonical JSON for fingerprints: object keys sorted by UTF-16 code units, no whitespace,
 * `undefined` members dropped (`null` in arrays), numbers as JSON.stringify writes them. Two
 * bodies that differ only in key order or whitespace get the same text. Iterative (an explicit
 * stack of pieces still to write), so any nesting depth is safe: a caller need not have bounded
 * the depth first.
 */
export function canonicalBody(value: unknown): string {
  const out: string[] = [];
  // Each entry is either text to write as is or a value still to render; popped last-in first-out.
  const pending: Array<{ text: string } | { value: unknown }> = [{ value }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if ('text' in next) {
      out.push(next.text);
      continue;
    }
    const v = next.value;
    if (v === null || typeof v !== 'object') {
      out.push(JSON.stringify(v) ?? 'null');
    } else if (Array.isArray(v)) {
      pending.push({ text: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        pending.push({ value: v[i] === undefined ? null : v[i] });
        if (i > 0) pending.push({ text: ',' });
      }
      pending.push({ text: '[' });
    } else {
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      pending.push({ text: '}' });
      for (let i = keys.length - 1; i >= 0; i--) {
        pending.push({ value: record[keys[i]!] }, { text: `${JSON.stringify(keys[i])}:` });
        if (i > 0) pending.push({ text: ',' });
      }
      pending.push({ text: '{' });
    }
  }
  return out.join('');
}

/**
 * SHA-256 (hex) of the method, the path (with its query) and the canonical body: what must be
 * identical for a repeated key to be the same request.
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n${canonicalBody(body ?? null)}`)
    .digest('hex');
}
