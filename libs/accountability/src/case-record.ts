import { firstDifference, type AnswerDifference } from './answer-basis';
import { decodeFact, type Fact, type FactNamed, type RawEntry } from './fact';

type Opened = FactNamed<'case.opened'>;

/** A legal hold as its entries record it: placed, and lifted once a later case.hold-lifted follows. */
export interface HoldRecord {
  readonly placedBy: Opened['data']['actor'];
  readonly placedAt: string;
  readonly reason: string;
  readonly lifted?: { readonly by: Opened['data']['actor']; readonly at: string; readonly reason: string };
  /** The seqs of its case.hold-placed entry and, once lifted, its case.hold-lifted entry. */
  readonly evidence: readonly number[];
}

/**
 * A case as its own proven entries record it: `case.opened`, then `case.access-granted` and
 * `case.closed`, `case.hold-placed` and `case.hold-lifted` for the same case id, in ledger order. This is what the case report shows, so a
 * reader of the report is told nothing about the case that is not in an entry.
 */
export interface CaseRecord {
  readonly caseId: string;
  readonly title: string;
  readonly organisationId: string;
  /** `open`, or `closed` once a proven `case.closed` is among the entries. */
  readonly status: 'open' | 'closed';
  readonly scope:
    | { readonly kind: 'incident'; readonly incidentId: string }
    | { readonly kind: 'outputs'; readonly outputIds: readonly string[] };
  readonly openedBy: Opened['data']['actor'];
  /** The `case.opened` event's time. */
  readonly openedAt: string;
  readonly openedAgainst: Opened['data']['openedAgainst'];
  readonly basis?: ReadonlyArray<unknown>;
  /** The opener, then every grantee, as the entries name them. */
  readonly investigators: ReadonlyArray<{ readonly organisationId: string; readonly personId: string }>;
  readonly closedAt?: string;
  /** Every legal hold, in the order placed; the last is in force when it has no `lifted`. */
  readonly holds: readonly HoldRecord[];
  /** The outputs the case is about: the scope's, or those the incident's proven reports name (first mention order). */
  readonly outputIds: readonly string[];
  /** The seqs of the entries this record was read from, ascending. */
  readonly evidence: readonly number[];
}

/**
 * The record of case `caseId` from `facts` (proven entries, in ledger order), or null when no
 * `case.opened` for it is among them (a case's own events reach the log within seconds of the
 * request, so a fresh export may not hold it yet). Pure.
 */
export function caseRecordOf(caseId: string, facts: readonly Fact[]): CaseRecord | null {
  const opened = facts.find((f): f is Opened => f.name === 'case.opened' && f.data.caseId === caseId);
  if (!opened) return null;
  const d = opened.data;
  const evidence = [opened.seq];
  const investigators = [{ organisationId: d.actor.organisationId, personId: d.actor.personId }];
  let closed: FactNamed<'case.closed'> | undefined;
  const holds: HoldRecord[] = [];
  for (const f of facts) {
    if (f.seq <= opened.seq) continue;
    if ((f.name === 'case.hold-placed' || f.name === 'case.hold-lifted') && f.data.caseId === caseId) {
      const last = holds[holds.length - 1];
      // The ledger's decider allows neither a second hold in force nor a lift without one; entries that would say so are not folded.
      if (f.name === 'case.hold-placed' && (!last || last.lifted))
        holds.push({ placedBy: f.data.actor, placedAt: f.time, reason: f.data.reason, evidence: [f.seq] });
      else if (f.name === 'case.hold-lifted' && last && !last.lifted)
        holds[holds.length - 1] = {
          ...last,
          lifted: { by: f.data.actor, at: f.time, reason: f.data.reason },
          evidence: [...last.evidence, f.seq],
        };
      else continue;
      evidence.push(f.seq);
      continue;
    }
    if (f.name === 'case.access-granted' && f.data.caseId === caseId) {
      investigators.push({ organisationId: f.data.grantee.organisationId, personId: f.data.grantee.personId });
      evidence.push(f.seq);
    } else if (f.name === 'case.closed' && f.data.caseId === caseId && !closed) {
      closed = f;
      evidence.push(f.seq);
    }
  }
  const scope =
    d.incidentId !== undefined
      ? ({ kind: 'incident', incidentId: d.incidentId } as const)
      : ({ kind: 'outputs', outputIds: d.outputIds ?? [] } as const);
  let outputIds: readonly string[];
  if (scope.kind === 'incident') {
    const reports = facts.filter(
      (f): f is FactNamed<'incident.reported'> => f.name === 'incident.reported' && f.data.incidentId === scope.incidentId,
    );
    outputIds = [...new Set(reports.flatMap((r) => r.data.outputIds))];
  } else {
    outputIds = scope.outputIds;
  }
  return {
    caseId,
    title: d.title,
    organisationId: d.organisationId,
    status: closed ? 'closed' : 'open',
    scope,
    openedBy: d.actor,
    openedAt: opened.time,
    openedAgainst: d.openedAgainst,
    ...('basis' in d && d.basis ? { basis: d.basis } : {}),
    investigators,
    ...(closed ? { closedAt: closed.time } : {}),
    holds,
    outputIds,
    evidence: evidence.sort((a, b) => a - b),
  };
}

/** The legal hold in force as a case's own answer states it (`case.hold` of an export), or null when none is. */
export function holdInForce(holds: readonly HoldRecord[]): { placedBy: HoldRecord['placedBy']; placedAt: string; reason: string } | null {
  const last = holds[holds.length - 1];
  return last && !last.lifted ? { placedBy: last.placedBy, placedAt: last.placedAt, reason: last.reason } : null;
}

/** What holdsRecomputation found: how many entries it read, every hold they record, and the first difference. */
export interface HoldsRecomputation {
  readonly entries: number;
  /** Every legal hold the entries record, in the order placed (empty without the case's case.opened). */
  readonly holds: readonly HoldRecord[];
  /** Where the stated hold in force (`/case/hold`) departs from the one the entries give; null when they agree. */
  readonly difference: AnswerDifference | null;
}

/**
 * The case's legal holds re-derived from raw entries (decoded here), for the investigator page:
 * the hold in force that `statedCase` (an export's `case`) states, if any, MUST be the last hold
 * the entries record and not lifted, field by field; stating none MUST mean none is in force.
 * `entries` MUST be proven already. Pure.
 */
export function holdsRecomputation(statedCase: unknown, caseId: string, entries: Iterable<RawEntry>): HoldsRecomputation {
  const raw = [...entries];
  const holds =
    caseRecordOf(
      caseId,
      raw.flatMap((e) => decodeFact(e) ?? []),
    )?.holds ?? [];
  const stated =
    typeof statedCase === 'object' && statedCase !== null && !Array.isArray(statedCase)
      ? (statedCase as Record<string, unknown>)['hold']
      : undefined;
  const recomputed = holdInForce(holds);
  return {
    entries: raw.length,
    holds,
    difference: firstDifference(recomputed === null ? null : JSON.parse(JSON.stringify(recomputed)), stated ?? null, '/case/hold'),
  };
}
