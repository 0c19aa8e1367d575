import type { ConcernSeverity } from '@aal/contracts';

/**
 * How long addressees have, by severity, to acknowledge and to answer a concern, in hours from the
 * moment it was taken in. Calendar hours, not working days: a bank-holiday calendar differs by
 * nation and organisation, and a due date the ledger can recompute must not depend on one.
 */
export interface DuePolicy {
  readonly acknowledgeWithinHours: Readonly<Record<ConcernSeverity, number>>;
  readonly answerWithinHours: Readonly<Record<ConcernSeverity, number>>;
}

/** The defaults (docs/concerns.md): acknowledge within 1, 2, 5 or 10 days; answer within 7, 14, 30 or 60 days. */
export const DEFAULT_DUE_POLICY: DuePolicy = {
  acknowledgeWithinHours: { critical: 24, high: 48, moderate: 120, low: 240 },
  answerWithinHours: { critical: 168, high: 336, moderate: 720, low: 1440 },
};

/** When each addressee must have acknowledged and answered a concern of `severity` taken in at `raisedAt` (RFC 3339), in UTC. */
export function dueDates(policy: DuePolicy, severity: ConcernSeverity, raisedAt: string): { acknowledgeBy: string; answerBy: string } {
  const from = Date.parse(raisedAt);
  const after = (hours: number) => new Date(from + hours * 3_600_000).toISOString();
  return { acknowledgeBy: after(policy.acknowledgeWithinHours[severity]), answerBy: after(policy.answerWithinHours[severity]) };
}

/** Thrown at start-up for a due policy that cannot be used. */
export class DuePolicyError extends Error {}

/**
 * A due policy from its configuration text: `severity=hours` pairs, comma-separated, overriding the
 * defaults (e.g. `critical=12,high=24`). Every period must be a whole number of hours, at least 0,
 * and answering may not be due before acknowledging.
 */
export function duePolicyFrom(text: { acknowledge?: string; answer?: string }, base: DuePolicy = DEFAULT_DUE_POLICY): DuePolicy {
  const policy: DuePolicy = {
    acknowledgeWithinHours: { ...base.acknowledgeWithinHours, ...pairs('acknowledge', text.acknowledge) },
    answerWithinHours: { ...base.answerWithinHours, ...pairs('answer', text.answer) },
  };
  for (const severity of Object.keys(policy.answerWithinHours) as ConcernSeverity[]) {
    if (policy.answerWithinHours[severity] < policy.acknowledgeWithinHours[severity]) {
      throw new DuePolicyError(
        `a ${severity} concern would be due for an answer (${policy.answerWithinHours[severity]} h) before its acknowledgement (${policy.acknowledgeWithinHours[severity]} h)`,
      );
    }
  }
  return policy;
}

const SEVERITIES: readonly string[] = ['low', 'moderate', 'high', 'critical'];

function pairs(what: string, text: string | undefined): Partial<Record<ConcernSeverity, number>> {
  if (text === undefined || text.trim() === '') return {};
  const out: Partial<Record<ConcernSeverity, number>> = {};
  for (const pair of text.split(',')) {
    const match = /^\s*([a-z]+)\s*=\s*([0-9]{1,6})\s*$/.exec(pair);
    if (!match || !SEVERITIES.includes(match[1]!)) {
      throw new DuePolicyError(
        `${what} due periods must be severity=hours pairs (severities ${SEVERITIES.join(', ')}); cannot read "${pair}"`,
      );
    }
    out[match[1] as ConcernSeverity] = Number(match[2]);
  }
  return out;
}
