import { firstDifference, type AnswerDifference } from './answer-basis';
import { decodeFact, patternKey, patternTargets, type Fact, type FactNamed, type PatternTarget, type RawEntry } from './fact';
import { DEFAULT_RECURRING_PATTERN_INCIDENTS, finding, type Finding } from './findings';
import { instant } from './instants';

type Recorded = FactNamed<'recommendation.recorded'>;
type Response = FactNamed<'recommendation.accepted' | 'recommendation.completed' | 'recommendation.rejected'>;
type Actor = Recorded['data']['actor'];

/** Where a recommendation stands: recorded, then accepted (with a plan), then completed or rejected (closed). */
export type RecommendationStatus = 'recorded' | 'accepted' | 'completed' | 'rejected';

/** One response of the addressee, as its entry records it. */
export interface RecommendationResponseItem {
  readonly response: Exclude<RecommendationStatus, 'recorded'>;
  /** The plan (accepted). */
  readonly plan?: string;
  /** The reference to the evidence (completed). */
  readonly reference?: string;
  /** The reasons (rejected). */
  readonly reasons?: string;
  readonly by: Actor;
  readonly happenedAt: string;
  readonly recordedAt: string;
  readonly evidence: readonly number[];
}

/** A recommendation as it stood at `asOf`: as recorded, every response made by then, and its status. */
export interface RecommendationItem {
  readonly recommendationId: string;
  readonly addressee: Recorded['data']['addressee'];
  readonly recommendation: string;
  readonly dueBy: string;
  readonly arisesFrom?: Recorded['data']['arisesFrom'];
  readonly recordedBy: Actor;
  readonly happenedAt: string;
  readonly recordedAt: string;
  readonly status: RecommendationStatus;
  readonly responses: readonly RecommendationResponseItem[];
  readonly evidence: readonly number[];
}

/** A case's recommendations and their findings (part `recommendation` of docs/findings.md), as they stood at `asOf`. */
export interface CaseRecommendations {
  readonly caseId: string;
  readonly asOf: string;
  /** The recurring-pattern threshold applied (PATTERN.RECURRING_FINDING). */
  readonly recurringPatternIncidents: number;
  /** Only those addressed to this organisation, when the answer was asked for by an addressee. */
  readonly addressee?: string;
  readonly recommendations: readonly RecommendationItem[];
  readonly findings: readonly Finding[];
}

export interface RecommendationsRequest {
  readonly asOf: string;
  /** Defaults to DEFAULT_RECURRING_PATTERN_INCIDENTS. */
  readonly recurringPatternIncidents?: number;
  /** An addressee's view: only the recommendations addressed to this organisation, and their findings. */
  readonly addressee?: string;
}

const RESPONSE: Record<Response['name'], RecommendationResponseItem['response']> = {
  'recommendation.accepted': 'accepted',
  'recommendation.completed': 'completed',
  'recommendation.rejected': 'rejected',
};

const isResponse = (f: Fact): f is Response => f.name in RESPONSE;

function responseItem(f: Response): RecommendationResponseItem {
  const by = f.data.actor;
  const clocks = { by, happenedAt: f.time, recordedAt: f.recordedAt, evidence: [f.seq] };
  switch (f.name) {
    case 'recommendation.accepted':
      return { response: 'accepted', plan: f.data.plan, ...clocks };
    case 'recommendation.completed':
      return { response: 'completed', reference: f.data.reference, ...clocks };
    case 'recommendation.rejected':
      return { response: 'rejected', reasons: f.data.reasons, ...clocks };
  }
}

/**
 * The recommendations of case `caseId` and their findings at `asOf`, from `facts`: the case's own
 * entries and, for the recurring pattern, the recommendation.recorded entries of other cases found
 * under the pattern keys of this case's links (factKeys). A fact counts when it happened (its
 * `time`) at or before `asOf`. Pure and browser-safe: the ledger serves it, the case export states
 * it, and `ledger-verify --bundle` recomputes it from the proven entries.
 */
export function caseRecommendations(caseId: string, facts: readonly Fact[], request: RecommendationsRequest): CaseRecommendations {
  const T = instant(request.asOf);
  const threshold = request.recurringPatternIncidents ?? DEFAULT_RECURRING_PATTERN_INCIDENTS;
  const known = facts.filter((f) => instant(f.time) <= T).sort((a, b) => a.seq - b.seq);
  const recorded = known.filter((f): f is Recorded => f.name === 'recommendation.recorded');
  const own = recorded.filter(
    (f) => f.data.caseId === caseId && (request.addressee === undefined || f.data.addressee.organisationId === request.addressee),
  );
  const responses = known.filter((f): f is Response => isResponse(f) && f.data.caseId === caseId);
  const recommendations = own.map((r) => recommendationItem(r, responses));
  const findings = [
    ...recommendations.flatMap((r) => overdue(r, request.asOf)),
    ...recurringPatterns(own, recorded, request.asOf, threshold),
  ];
  return {
    caseId,
    asOf: request.asOf,
    recurringPatternIncidents: threshold,
    ...(request.addressee !== undefined ? { addressee: request.addressee } : {}),
    recommendations,
    findings,
  };
}

function recommendationItem(r: Recorded, responses: readonly Response[]): RecommendationItem {
  const mine = responses.filter((f) => f.data.recommendationId === r.data.recommendationId).map(responseItem);
  return {
    recommendationId: r.data.recommendationId,
    addressee: r.data.addressee,
    recommendation: r.data.recommendation,
    dueBy: r.data.dueBy,
    ...(r.data.arisesFrom ? { arisesFrom: r.data.arisesFrom } : {}),
    recordedBy: r.data.actor,
    happenedAt: r.time,
    recordedAt: r.recordedAt,
    // The case decider admits responses only in order (none after completion or rejection), so the last one is the status.
    status: mine[mine.length - 1]?.response ?? 'recorded',
    responses: mine,
    evidence: [r.seq],
  };
}

/** RECOMMENDATION.OVERDUE: no completion or rejection by `dueBy`, and `asOf` later than it. */
function overdue(r: RecommendationItem, asOf: string): Finding[] {
  if (!(instant(r.dueBy) < instant(asOf))) return [];
  const closing = r.responses.find((x) => x.response === 'completed' || x.response === 'rejected');
  if (closing && instant(closing.happenedAt) <= instant(r.dueBy)) return [];
  const to = `Recommendation ${r.recommendationId} to the ${r.addressee.party} ${r.addressee.organisationId} was due by ${r.dueBy}`;
  const statement = closing
    ? `${to}; it was ${closing.response} at ${closing.happenedAt}, after that.`
    : `${to}; by ${asOf} the ledger records neither its completion nor its rejection (status ${r.status}).`;
  return [
    finding('RECOMMENDATION.OVERDUE', statement, [...r.evidence, ...r.responses.flatMap((x) => x.evidence)], {
      recommendationId: r.recommendationId,
      addressee: r.addressee,
      dueBy: r.dueBy,
      status: r.status,
      ...(closing ? { closedAt: closing.happenedAt } : {}),
    }),
  ];
}

/** PATTERN.RECURRING_FINDING: each finding code this case links on a version or deployment, linked about `threshold` or more incidents. */
function recurringPatterns(own: readonly Recorded[], recorded: readonly Recorded[], asOf: string, threshold: number): Finding[] {
  const targets = new Map<string, PatternTarget>();
  for (const r of own) for (const t of patternTargets(r.data.arisesFrom)) if (!targets.has(patternKey(t))) targets.set(patternKey(t), t);
  const out: Finding[] = [];
  for (const [key, t] of targets) {
    const linking = recorded.filter((r) => patternTargets(r.data.arisesFrom).some((x) => patternKey(x) === key));
    // An incident investigated in two cases is one occurrence; a case not about an incident is its own.
    const occurrences = new Set(linking.map((r) => r.data.incidentId ?? `case ${r.data.caseId}`));
    if (occurrences.size < threshold) continue;
    const cases = [...new Map(linking.map((r) => [r.data.caseId, r.data.incidentId])).entries()];
    const named = cases.map(([caseId, incidentId]) => `case ${caseId}${incidentId ? ` (incident ${incidentId})` : ''}`).join(', ');
    out.push(
      finding(
        'PATTERN.RECURRING_FINDING',
        `By ${asOf}, recommendations of ${cases.length} cases about ${occurrences.size} different incidents link finding ${t.findingCode} on ${t.on} ${t.id}: ${named}.`,
        linking.map((r) => r.seq),
        {
          findingCode: t.findingCode,
          on: t.on,
          id: t.id,
          occurrences: occurrences.size,
          threshold,
          cases: cases.map(([caseId, incidentId]) => ({ caseId, ...(incidentId ? { incidentId } : {}) })),
        },
      ),
    );
  }
  return out;
}

/**
 * Where a stated `recommendations` answer (a case export's) first departs from the one its proven
 * entries give at the clock and threshold it states; null when they agree. `facts` MUST be decoded
 * from entries already proven.
 */
export function recommendationsDifference(stated: unknown, caseId: string, facts: readonly Fact[]): AnswerDifference | null {
  const s = typeof stated === 'object' && stated !== null && !Array.isArray(stated) ? (stated as Record<string, unknown>) : null;
  const asOf = s?.['asOf'];
  const threshold = s?.['recurringPatternIncidents'];
  if (typeof asOf !== 'string' || !Number.isSafeInteger(threshold))
    return { pointer: '', recomputed: 'an answer with asOf and recurringPatternIncidents', stated: stated ?? null };
  const addressee = typeof s?.['addressee'] === 'string' ? (s['addressee'] as string) : undefined;
  const recomputed = caseRecommendations(caseId, facts, {
    asOf,
    recurringPatternIncidents: threshold as number,
    ...(addressee !== undefined ? { addressee } : {}),
  });
  return firstDifference(JSON.parse(JSON.stringify(recomputed)), stated);
}

/** What recomputeRecommendations found: how many entries it read, how many recommendations were stated, and the first difference. */
export interface RecommendationsRecomputation {
  readonly entries: number;
  readonly recommendations: number;
  readonly difference: AnswerDifference | null;
}

/**
 * recommendationsDifference over raw entries (decoded here), for the investigator page: the same
 * check `ledger-verify --bundle` makes. `entries` MUST be proven already.
 */
export function recommendationsRecomputation(stated: unknown, caseId: string, entries: Iterable<RawEntry>): RecommendationsRecomputation {
  const raw = [...entries];
  const facts = raw.flatMap((e) => decodeFact(e) ?? []);
  const list = typeof stated === 'object' && stated !== null ? (stated as { recommendations?: unknown }).recommendations : undefined;
  return {
    entries: raw.length,
    recommendations: Array.isArray(list) ? list.length : 0,
    difference: recommendationsDifference(stated, caseId, facts),
  };
}
