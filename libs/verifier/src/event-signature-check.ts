import { emitterOfSource, SIGNATURE_HEADER, verifyEventSignature, type EventKeySet } from '@aal/ledger-core';
import type { VerificationProblem } from './verification-problem';
import type { DecodedEntry } from './wire-format';

/**
 * Re-checks who emitted an entry's event: its `aal_signature` header MUST verify, over the
 * entry's `ce_*` headers, `content-type` and value bytes, with a key the user trusts for the
 * producer its `ce_source` names. Returns the problem, or null when the signature verifies.
 */
export function entrySignatureProblem(entry: DecodedEntry, raw: unknown, eventKeys: EventKeySet): VerificationProblem | null {
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
  const check = verifyEventSignature(entry.headers, entry.value, entry.headers[SIGNATURE_HEADER], keys);
  return check.ok ? null : fail(check.code, `${check.reason} (${emitter})`);
}
