import { Type, type Static } from '@sinclair/typebox';
import type { Fact } from './fact';
import { instant } from './instants';

/**
 * The two clocks, kept apart: when a fact happened (the event's `time`, or the moment a decision
 * took effect) and when the ledger recorded it (its sequence number and recorded time).
 */

/** A fact recorded more than this long after it happened is marked, and found, as recorded late. */
export const LATE_RECORDING_SECONDS = 15 * 60;

/** What the ledger knew: every entry up to and including `seq`, the last recorded at `recordedAt`. */
export const KnownAt = Type.Object(
  { seq: Type.Integer({ minimum: 0 }), recordedAt: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
export type KnownAt = Static<typeof KnownAt>;

/** `KnownAt` as an answer states it: `source` says whether the caller chose it. */
export const StatedKnownAt = Type.Object(
  { ...KnownAt.properties, source: Type.Union([Type.Literal('latest'), Type.Literal('requested')]) },
  { additionalProperties: false, description: 'What the ledger knew: entries up to `seq` (recorded by `recordedAt`).' },
);

/** Seconds between when a fact happened and when the ledger recorded it (never negative). */
export function recordingDelaySeconds(f: Pick<Fact, 'time' | 'recordedAt'>): number {
  return Math.max(0, Math.floor((instant(f.recordedAt) - instant(f.time)) / 1000));
}

/** The facts the ledger had recorded by `knownAt` (entries up to and including its seq). */
export function knownBy<F extends Pick<Fact, 'seq'>>(facts: readonly F[], knownAt: Pick<KnownAt, 'seq'>): F[] {
  return facts.filter((f) => f.seq <= knownAt.seq);
}

/**
 * The clock marks an answer's item carries, present only when they apply:
 * `recordedLateBySeconds` when the ledger recorded the fact more than LATE_RECORDING_SECONDS after
 * it happened; `backDated` when the fact was decided after the moment asked about (`asOf`) but
 * takes effect at or before it, so at `asOf` nobody could have known it.
 */
export function clockMarks(f: Fact, effectiveAt: string, asOf: string): { recordedLateBySeconds?: number; backDated?: true } {
  const delay = recordingDelaySeconds(f);
  const T = instant(asOf);
  const backDated = instant(effectiveAt) <= T && T < instant(f.time);
  const marks: { recordedLateBySeconds?: number; backDated?: true } = {};
  if (delay > LATE_RECORDING_SECONDS) marks.recordedLateBySeconds = delay;
  if (backDated) marks.backDated = true;
  return marks;
}
