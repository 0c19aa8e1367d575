import type { FindingDefinition } from './findings';
import { trainingCovering, type BucketWorkings, type OversightBucket, type OversightBucketSize } from './oversight';
import type { FactNamed } from './fact';

/**
 * Findings about a deployment over a period (GET /deployments/{id}/oversight), defined once beside
 * the output findings (FINDINGS) and documented with them in docs/findings.md. Their thresholds are
 * the ledger's configuration (OversightThresholds); the defaults are documented there too.
 */
export const OVERSIGHT_FINDINGS = {
  'OVERSIGHT.REVIEW_BELOW_MINIMUM_SHARE': {
    title: 'Review time below the policy minimum in many outputs',
    description:
      'In a bucket with at least `minimumActions` actions, more than `belowMinimumShare` of the recorded review times were shorter than the minimum of the usage policy in force for their site and role that day.',
    part: 'oversight',
  },
  'OVERSIGHT.REVIEW_FALLING_AS_VOLUME_RISES': {
    title: 'Review time falling while outputs per professional rise',
    description:
      'Over `trendWindow` consecutive buckets, each with at least `minimumActions` actions, the median review time of the last bucket was at least `trendReviewFall` lower than that of the first, and the outputs acted on per active professional at least `trendVolumeRise` higher.',
    part: 'oversight',
  },
  'OVERSIGHT.MANDATORY_USE_WITHOUT_TRAINING': {
    title: 'Mandatory use with no recorded training',
    description:
      'In a bucket, a usage policy made use of the AI mandatory for professionals who acted on its outputs, and more than `untrainedShare` of them had no training record for the deployment covering the bucket (completed before its end, not expired before its start).',
    part: 'oversight',
  },
} as const satisfies Record<string, Omit<FindingDefinition, 'part'> & { part: 'oversight' }>;

export type OversightFindingCode = keyof typeof OVERSIGHT_FINDINGS;

export const OVERSIGHT_FINDING_CODES = Object.keys(OVERSIGHT_FINDINGS) as OversightFindingCode[];

/** Thresholds of the oversight findings (ledger configuration `OVERSIGHT_*`). Shares are fractions (0.2 = 20 %). */
export interface OversightThresholds {
  /** A bucket is judged only with at least this many actions. */
  readonly minimumActions: number;
  readonly belowMinimumShare: number;
  /** Buckets in the window of the trend finding (2 or more). */
  readonly trendWindow: number;
  readonly trendReviewFall: number;
  readonly trendVolumeRise: number;
  readonly untrainedShare: number;
}

export const DEFAULT_OVERSIGHT_THRESHOLDS: OversightThresholds = {
  minimumActions: 20,
  belowMinimumShare: 0.2,
  trendWindow: 4,
  trendReviewFall: 0.2,
  trendVolumeRise: 0.2,
  untrainedShare: 0.1,
};

/** `trendReviewFall` → `OVERSIGHT_TREND_REVIEW_FALL`: the ledger reads each threshold from this variable. */
export function thresholdVariable(name: string): string {
  return `OVERSIGHT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** How a finding can be checked: the buckets, their figures, the query that re-runs them and the export of their entries. */
export interface OversightEvidence {
  readonly buckets: ReadonlyArray<{ readonly start: string; readonly end: string }>;
  readonly figures: Readonly<Record<string, unknown>>;
  /** The oversight query over exactly these buckets, with the clocks of this answer. */
  readonly query: string;
  /** The export listing the seqs of the entries counted in these buckets. */
  readonly entries: string;
  /** Seqs of the policy and training entries the finding compares against, ascending. */
  readonly seqs: readonly number[];
}

export interface OversightFinding {
  readonly code: OversightFindingCode;
  readonly title: string;
  readonly statement: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly evidence: OversightEvidence;
}

/** What the evidence links repeat of the question, besides the buckets' own period. */
export interface OversightQueryScope {
  readonly deploymentId: string;
  readonly bucket: OversightBucketSize;
  readonly site?: string;
  readonly role?: string;
  readonly asOf?: string;
  /** The seq the answer was computed at, so the links re-run it exactly. */
  readonly knownAtSeq: number;
  /** The oversight route the links name; default `/deployments/{deploymentId}/oversight` (a case has its own). */
  readonly basePath?: string;
}

/** The oversight URL (and its entries export) for the days `from`..`to` (both included) with the answer's clocks. */
export function oversightLinks(scope: OversightQueryScope, from: string, to: string): { query: string; entries: string } {
  const params = new URLSearchParams({ from, to, bucket: scope.bucket });
  if (scope.site !== undefined) params.set('site', scope.site);
  if (scope.role !== undefined) params.set('role', scope.role);
  if (scope.asOf !== undefined) params.set('asOf', scope.asOf);
  params.set('knownAt', String(scope.knownAtSeq));
  const base = scope.basePath ?? `/deployments/${encodeURIComponent(scope.deploymentId)}/oversight`;
  return { query: `${base}?${params}`, entries: `${base}/entries?${params}` };
}

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;
const lastDay = (b: OversightBucket) => new Date(Date.parse(b.end) - 86_400_000).toISOString().slice(0, 10);
const firstDay = (b: OversightBucket) => b.start.slice(0, 10);

function evidenceOf(
  scope: OversightQueryScope,
  buckets: readonly OversightBucket[],
  figures: Record<string, unknown>,
  seqs: Iterable<number>,
): OversightEvidence {
  const first = buckets[0]!;
  const last = buckets[buckets.length - 1]!;
  return {
    buckets: buckets.map((b) => ({ start: b.start, end: b.end })),
    figures,
    ...oversightLinks(scope, firstDay(first), lastDay(last)),
    seqs: [...new Set(seqs)].sort((a, b) => a - b),
  };
}

function finding(
  code: OversightFindingCode,
  statement: string,
  details: Record<string, unknown>,
  evidence: OversightEvidence,
): OversightFinding {
  return { code, title: OVERSIGHT_FINDINGS[code].title, statement, details, evidence };
}

/**
 * The deployment-level findings of a period's buckets, in OVERSIGHT_FINDINGS order and, within a
 * code, in bucket order. Worded as facts: what was recorded, against which threshold.
 */
export function deriveOversightFindings(
  workings: readonly BucketWorkings[],
  training: readonly FactNamed<'training.recorded'>[],
  scope: OversightQueryScope,
  thresholds: OversightThresholds = DEFAULT_OVERSIGHT_THRESHOLDS,
): OversightFinding[] {
  return [
    ...belowMinimum(workings, scope, thresholds),
    ...fallingAsVolumeRises(workings, scope, thresholds),
    ...untrained(workings, training, scope, thresholds),
  ];
}

function belowMinimum(workings: readonly BucketWorkings[], scope: OversightQueryScope, t: OversightThresholds): OversightFinding[] {
  return workings.flatMap(({ bucket: b, policySeqs }) => {
    if (b.actions < t.minimumActions || b.shareBelowMinimum === null || b.shareBelowMinimum <= t.belowMinimumShare) return [];
    const figures = {
      actions: b.actions,
      shareBelowMinimum: b.shareBelowMinimum,
      minimumReviewSeconds: b.minimumReviewSeconds,
      reviewSeconds: b.reviewSeconds,
    };
    return [
      finding(
        'OVERSIGHT.REVIEW_BELOW_MINIMUM_SHARE',
        `From ${firstDay(b)} to ${lastDay(b)}, ${percent(b.shareBelowMinimum)} of ${b.actions} recorded review times were shorter than the policy minimum of ${b.minimumReviewSeconds} s (threshold: more than ${percent(t.belowMinimumShare)}).`,
        { threshold: t.belowMinimumShare, minimumActions: t.minimumActions },
        evidenceOf(scope, [b], figures, policySeqs),
      ),
    ];
  });
}

function fallingAsVolumeRises(workings: readonly BucketWorkings[], scope: OversightQueryScope, t: OversightThresholds): OversightFinding[] {
  const out: OversightFinding[] = [];
  const w = Math.max(2, Math.floor(t.trendWindow));
  for (let i = 0; i + w <= workings.length; ) {
    const window = workings.slice(i, i + w).map((x) => x.bucket);
    const first = window[0]!;
    const last = window[w - 1]!;
    const judged = window.every((b) => b.actions >= t.minimumActions);
    const p50First = first.reviewSeconds.p50;
    const p50Last = last.reviewSeconds.p50;
    const oppFirst = first.outputsPerProfessional;
    const oppLast = last.outputsPerProfessional;
    if (
      judged &&
      p50First !== null &&
      p50Last !== null &&
      oppFirst !== null &&
      oppLast !== null &&
      p50First > 0 &&
      p50Last <= p50First * (1 - t.trendReviewFall) &&
      oppLast >= oppFirst * (1 + t.trendVolumeRise)
    ) {
      const figures = {
        reviewSecondsP50: window.map((b) => b.reviewSeconds.p50),
        outputsPerProfessional: window.map((b) => b.outputsPerProfessional),
        minimumReviewSeconds: window.map((b) => b.minimumReviewSeconds),
      };
      const seqs = workings.slice(i, i + w).flatMap((x) => x.policySeqs);
      out.push(
        finding(
          'OVERSIGHT.REVIEW_FALLING_AS_VOLUME_RISES',
          `From ${firstDay(first)} to ${lastDay(last)} (${w} buckets), the median review time went from ${p50First} s to ${p50Last} s while outputs acted on per active professional went from ${oppFirst} to ${oppLast}.`,
          { window: w, reviewFall: t.trendReviewFall, volumeRise: t.trendVolumeRise, minimumActions: t.minimumActions },
          evidenceOf(scope, window, figures, seqs),
        ),
      );
      i += w;
    } else i++;
  }
  return out;
}

function untrained(
  workings: readonly BucketWorkings[],
  training: readonly FactNamed<'training.recorded'>[],
  scope: OversightQueryScope,
  t: OversightThresholds,
): OversightFinding[] {
  return workings.flatMap(({ bucket: b, mandatoryProfessionals, mandatorySeqs }) => {
    if (mandatoryProfessionals.size === 0) return [];
    const period = { start: b.start, end: b.end };
    const trainingSeqs: number[] = [];
    const without: string[] = [];
    for (const p of [...mandatoryProfessionals].sort()) {
      const covering = trainingCovering(training, p, period, scope.asOf);
      if (covering.length === 0) without.push(p);
      else trainingSeqs.push(...covering.map((c) => c.seq));
    }
    const shareWithout = Math.round((without.length / mandatoryProfessionals.size) * 10_000) / 10_000;
    if (shareWithout <= t.untrainedShare) return [];
    const figures = {
      professionalsUnderMandatoryUse: mandatoryProfessionals.size,
      withoutTraining: without.length,
      shareWithoutTraining: shareWithout,
    };
    return [
      finding(
        'OVERSIGHT.MANDATORY_USE_WITHOUT_TRAINING',
        `From ${firstDay(b)} to ${lastDay(b)}, use was mandatory for ${mandatoryProfessionals.size} professionals who acted on outputs, and ${without.length} of them (${percent(shareWithout)}) had no training record for the deployment covering that period (threshold: more than ${percent(t.untrainedShare)}).`,
        { threshold: t.untrainedShare, professionalsWithoutTraining: without },
        evidenceOf(scope, [b], figures, [...mandatorySeqs, ...trainingSeqs]),
      ),
    ];
  });
}
