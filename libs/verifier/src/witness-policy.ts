import { checkCosignatures, NoteError, type WitnessKey } from '@aal/ledger-core';
import type { VerifiedCheckpoint } from './log-verifier';
import type { VerificationProblem } from './verification-problem';

/** `--witness-key` (repeated) and `--witnesses-required k`: whose cosignatures count, and how many. */
export interface WitnessPolicy {
  readonly witnesses: readonly WitnessKey[];
  /** At least 1 and at most `witnesses.length`. */
  readonly required: number;
}

/** Per trusted witness, what its cosignature on one checkpoint is. */
export interface WitnessVerdict {
  readonly witness: string;
  readonly status: 'valid' | 'missing' | 'bad';
  readonly timestamp?: number;
  readonly reason?: string;
}

export type WitnessedOutcome =
  | { readonly ok: true; readonly checkpoint: VerifiedCheckpoint; readonly verdicts: readonly WitnessVerdict[] }
  | { readonly ok: false; readonly problem: VerificationProblem };

/** What each trusted witness's cosignature on `note` is: valid, missing or bad (with why). */
export function witnessVerdicts(note: string, policy: WitnessPolicy): WitnessVerdict[] {
  let checked: ReturnType<typeof checkCosignatures>;
  try {
    checked = checkCosignatures(note, policy.witnesses);
  } catch (err) {
    if (err instanceof NoteError) return policy.witnesses.map((w) => ({ witness: w.name, status: 'bad' as const, reason: err.message }));
    throw err;
  }
  return policy.witnesses.map((w) => {
    const valid = checked.valid.find((v) => v.name === w.name && v.keyId === w.keyId.toString('hex'));
    if (valid) return { witness: w.name, status: 'valid' as const, timestamp: valid.timestamp };
    const bad = checked.bad.find((b) => b.name === w.name && b.keyId === w.keyId.toString('hex'));
    return bad ? { witness: w.name, status: 'bad' as const, reason: bad.reason } : { witness: w.name, status: 'missing' as const };
  });
}

/**
 * Applies the witness policy to checkpoints that already verified (signature, root, history):
 * the one to trust is the newest carrying at least `required` valid cosignatures by distinct
 * trusted witnesses. Checkpoints after it are the log's word alone. When none qualifies, the
 * problem `checkpoint-not-witnessed` names, for the newest checkpoint, each witness whose
 * cosignature is missing or bad. Pure.
 */
export function applyWitnessPolicy(checkpoints: readonly VerifiedCheckpoint[], policy: WitnessPolicy): WitnessedOutcome {
  const newest = [...checkpoints].sort((a, b) => b.treeSize - a.treeSize);
  for (const checkpoint of newest) {
    const verdicts = witnessVerdicts(checkpoint.note, policy);
    if (verdicts.filter((v) => v.status === 'valid').length >= policy.required) return { ok: true, checkpoint, verdicts };
  }
  const latest = newest[0];
  const verdicts: WitnessVerdict[] = latest
    ? witnessVerdicts(latest.note, policy)
    : policy.witnesses.map((w) => ({ witness: w.name, status: 'missing' as const }));
  const valid = verdicts.filter((v) => v.status === 'valid').length;
  const named = verdicts.filter((v) => v.status !== 'valid').map((v) => `${v.witness} (${v.status}${v.reason ? `: ${v.reason}` : ''})`);
  return {
    ok: false,
    problem: {
      kind: 'checkpoint-not-witnessed',
      ...(latest ? { checkpointSize: latest.treeSize } : {}),
      detail: latest
        ? `no checkpoint carries ${policy.required} valid cosignatures from the trusted witnesses; the latest (size ${latest.treeSize}) has ${valid}: missing or bad: ${named.join(', ')}`
        : `the log has no signed checkpoint for the witnesses to have cosigned; missing: ${named.join(', ')}`,
      evidence: { required: policy.required, verdicts, checkpoint: latest ?? null },
    },
  };
}
