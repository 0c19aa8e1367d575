import { emitterOfSource, SIGNATURE_HEADER, verifyEventSignature, type BatchSignatureMemo, type EventKeySet } from '@aal/ledger-core';
import type { VerificationProblem } from './verification-problem';
import type { DecodedEntry } from './wire-format';

const MEMO_LIMIT = 1024;

/**
 * Re-checks who emitted an entry's event: its `aal_signature` header MUST verify, over the
 * entry's `ce_*` headers, `content-type` and value bytes, with a key the user trusts for the
 * producer its `ce_source` names. Returns the problem, or null when the signature verifies.
 * `memo`, kept across the entries of one run, checks each batch signature's Ed25519 signature once.
 */
export function entrySignatureProblem(
  entry: DecodedEntry,
  raw: unknown,
  eventKeys: EventKeySet,
  memo?: BatchSignatureMemo<boolean>,
): VerificationProblem | null {
  const source = entry.headers['ce_source'];
  const emitter = source === undefined ? undefined : emitterOfSource(source);
  const keys = emitter === undefined ? undefined : eventKeys.get(emitter);
  const fail = (code: string, reason: string): VerificationProblem => ({
    kind: 'event-signature-invalid',
    seq: entry.seq,
    detail: `the event of entry ${entry.seq} is not proven to come from its producer: ${reason}`,
    evidence: {
      code,
      reason,
      source: source ?? null,
      emitter: emitter ?? null,
      signature: entry.headers[SIGNATURE_HEADER] ?? null,
      entry: raw,
    },
  });
  if (!keys)
    return fail('EVENT.UNKNOWN_SOURCE', `its source ${JSON.stringify(source ?? null)} names no producer in the trusted event keys`);
  // Batches are consecutive in a log: a small memo is enough, and bounds memory on any log.
  if (memo && memo.size > MEMO_LIMIT) memo.clear();
  const check = verifyEventSignature(entry.headers, entry.value, entry.headers[SIGNATURE_HEADER], keys, memo);
  return check.ok ? null : fail(check.code, `${check.reason} (${emitter})`);
}
