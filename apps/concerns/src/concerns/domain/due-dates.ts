import { CONCERN_SEVERITIES, type ConcernSeverity } from '@aal/contracts';

/**
 * How long addressees have, by severity, to acknowledge and to answer a concern, in seconds from
 * the moment it was taken in. Elapsed time, not working days: a bank-holiday calendar differs by
 * nation and organisation, and a due date the ledger can recompute must not depend on one.
 */
export interface DuePolicy {
  readonly acknowledgeWithinSeconds: Readonly<Record<ConcernSeverity, number>>;
  readonly answerWithinSeconds: Readonly<Record<ConcernSeverity, number>>;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

/** The defaults (docs/concerns.md): acknowledge within 1, 2, 5 or 10 days; answer within 7, 14, 30 or 60 days. */
export const DEFAULT_DUE_POLICY: DuePolicy = {
  acknowledgeWithinSeconds: { critical: 1 * DAY, high: 2 * DAY, moderate: 5 * DAY, low: 10 * DAY },
  answerWithinSeconds: { critical: 7 * DAY, high: 14 * DAY, moderate: 30 * DAY, low: 60 * DAY },
};

/** When each addressee must have acknowledged and answered a concern of `severity` taken in at `raisedAt` (RFC 3339), in UTC. */
export function dueDates(policy: DuePolicy, severity: ConcernSeverity, raisedAt: string): { acknowledgeBy: string; answerBy: string } {
  const from = Date.parse(raisedAt);
  const after = (seconds: number) => new Date(from + seconds * 1000).toISOString();
  return { acknowledgeBy: after(policy.acknowledgeWithinSeconds[severity]), answerBy: after(policy.answerWithinSeconds[severity]) };
}

/** Thrown at start-up for a due policy that cannot be used. */
export class DuePolicyError extends Error {}

/**
 * The seconds an ISO 8601 duration of days, hours, minutes and seconds stands for
 * (`P14D`, `PT48H`, `P1DT12H`, `PT30S`; whole numbers). A day is 24 hours: due dates are instants
 * in UTC. Years, months and weeks are refused: a month has no fixed length, and one spelling per
 * period is enough. Null for text it cannot read.
 */
export function durationSeconds(text: string): number | null {
  const match = /^P(?:(\d{1,5})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,8})M)?(?:(\d{1,9})S)?)?$/.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return Number(d) * DAY + Number(h) * HOUR + Number(m) * 60 + Number(s);
}

/**
 * A due policy from its configuration text: `severity=duration` pairs, comma-separated, each an
 * ISO 8601 duration (durationSeconds), overriding the defaults (e.g. `critical=PT12H,high=P1D`).
 * Every period must be longer than zero, and answering may not be due before acknowledging.
 */
export function duePolicyFrom(text: { acknowledge?: string; answer?: string }, base: DuePolicy = DEFAULT_DUE_POLICY): DuePolicy {
  const policy: DuePolicy = {
    acknowledgeWithinSeconds: { ...base.acknowledgeWithinSeconds, ...pairs('acknowledge', text.acknowledge) },
    answerWithinSeconds: { ...base.answerWithinSeconds, ...pairs('answer', text.answer) },
  };
  for (const severity of CONCERN_SEVERITIES) {
    const acknowledge = policy.acknowledgeWithinSeconds[severity];
    const answer = policy.answerWithinSeconds[severity];
    if (answer < acknowledge) {
      throw new DuePolicyError(
        `a ${severity} concern would be due for an answer (${answer} s after intake) before its acknowledgement (${acknowledge} s)`,
      );
    }
  }
  return policy;
}

function pairs(what: string, text: string | undefined): Partial<Record<ConcernSeverity, number>> {
  if (text === undefined || text.trim() === '') return {};
  const out: Partial<Record<ConcernSeverity, number>> = {};
  for (const pair of text.split(',')) {
    const match = /^\s*([a-z]+)\s*=\s*(\S+)\s*$/.exec(pair);
    const severity = match?.[1] as ConcernSeverity | undefined;
    const seconds = match ? durationSeconds(match[2]!) : null;
    if (!severity || !CONCERN_SEVERITIES.includes(severity) || seconds === null || seconds === 0) {
      throw new DuePolicyError(
        `${what} due periods must be severity=duration pairs (severities ${CONCERN_SEVERITIES.join(', ')}; ISO 8601 durations of days, hours, minutes and seconds longer than zero, such as P14D, PT48H or PT30S); cannot read "${pair.trim()}"`,
      );
    }
    out[severity] = seconds;
  }
  return out;
}
