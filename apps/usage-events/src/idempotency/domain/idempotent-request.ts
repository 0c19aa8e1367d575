import { idempotencyErrors } from './idempotency.errors';

/** What a key identifies: one request of one organisation, by fingerprint (see requestFingerprint). */
export interface IdempotentRequest {
  readonly organisationId: string;
  readonly key: string;
  readonly fingerprint: string;
}

/** A response as stored for replay: status and the exact JSON text sent. */
export interface StoredResponse {
  readonly status: number;
  readonly body: string;
}

/** A write's answer: the response as sent (stored when it carried a key), and whether it was replayed. */
export interface WriteResult extends StoredResponse {
  /** True when the response is a stored one, replayed for a repeated Idempotency-Key. */
  readonly replayed: boolean;
}

/**
 * The answer to a request whose key was already used: the stored response when the request is
 * the same, otherwise a refusal.
 * @throws DomainError IDEMPOTENCY.KEY_REUSED when the fingerprints differ.
 */
export function replayFor(request: IdempotentRequest, stored: { fingerprint: string; response: StoredResponse }): StoredResponse {
  if (stored.fingerprint !== request.fingerprint) throw idempotencyErrors.keyReused(request.key);
  return stored.response;
}
