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
 * `undefined` members dropped, numbers as JSON.stringify writes them. Two bodies that differ
 * only in key order or whitespace get the same text.
 */
export function canonicalBody(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalBody(v === undefined ? null : v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalBody(record[k])}`).join(',')}}`;
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
