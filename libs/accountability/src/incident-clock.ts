import { reportingDeadlines, type ReportingAuthority, type ReportingDeadlines } from '@aal/contracts';
import type { Item } from './accountability-chain';
import { knownBy, type KnownAt } from './clocks';
import type { Fact, FactNamed } from './fact';
import { finding, type Finding, type FindingCode } from './findings';
import { instant } from './instants';

type Classified = FactNamed<'incident.classified'>;
type Informed = FactNamed<'incident.provider-informed'>;
type Aware = FactNamed<'incident.provider-aware'>;
type Reported = FactNamed<'incident.authority-reported'>;
type Registered = FactNamed<'model.registered'>;
type Actor = Classified['data']['actor'];

/**
 * One incident's reporting clock as it stood at `asOf` (by default the recorded time of the last
 * entry known), built only from what the ledger had recorded by `knownAt`: the classification, the
 * deadlines that follow from the rule set in force when the deployer became aware, every notice and
 * report recorded by `asOf`, and the findings. Every item names its ledger entries (`evidence`).
 */
export interface IncidentClockAnswer {
  readonly incidentId: string;
  readonly asOf: string;
  readonly asOfSource: 'known-at' | 'requested';
  readonly knownAt: KnownAt & { readonly source: 'latest' | 'requested' };
  readonly incident: Item<Omit<Classified['data'], 'actor'> & { classifiedBy: Actor; happenedAt: string; recordedAt: string }>;
  /** Whether the model is a medical device, from its registered risk class; `riskClass` null when the ledger holds no registration. */
  readonly medicalDevice: Item<{ isMedicalDevice: boolean; riskClass: string | null }>;
  /** When the provider's clock started, and from what: its own record, the deployer's notice, or the deployer being the provider. */
  readonly providerAware: Item<{ at: string; from: 'provider-record' | 'deployer-notice' | 'deployer-is-provider' }> | null;
  readonly deadlines: ReportingDeadlines;
  readonly providerNotice: Item<{ madeAt: string; reference: string; by: Actor; happenedAt: string; recordedAt: string }> | null;
  readonly authorityReports: Item<{
    authority: ReportingAuthority;
    madeAt: string;
    reference: string;
    by: Actor;
    happenedAt: string;
    recordedAt: string;
  }>[];
  readonly findings: Finding[];
}

export interface IncidentClocks {
  readonly asOf?: string;
  readonly knownAt: KnownAt & { readonly source: 'latest' | 'requested' };
}

/** The incident.classified of `incidentId` among `facts`, if any: the first step of finding its clock's facts. */
export function incidentClassified(incidentId: string, facts: readonly Fact[]): Classified | undefined {
  return facts.find((f): f is Classified => f.name === 'incident.classified' && f.data.incidentId === incidentId);
}

/** The facts an incident's clock rests on among `facts` (its subject's and its model's): its own, and its model's registration. */
export function incidentClockFacts(incidentId: string, facts: readonly Fact[]): Fact[] {
  const classified = incidentClassified(incidentId, facts);
  return facts.filter(
    (f) =>
      ((f.name === 'incident.classified' ||
        f.name === 'incident.provider-informed' ||
        f.name === 'incident.provider-aware' ||
        f.name === 'incident.authority-reported') &&
        f.data.incidentId === incidentId) ||
      (f.name === 'model.registered' && classified !== undefined && f.data.modelId === classified.data.about.modelId),
  );
}

/**
 * The reporting clock of one incident from `facts` (those found under its subject and its model's).
 * Pure. Null when the ledger, as of `knownAt`, holds no incident.classified for it.
 */
export function answerIncidentClock(incidentId: string, facts: readonly Fact[], clocks: IncidentClocks): IncidentClockAnswer | null {
  const known = [...knownBy(incidentClockFacts(incidentId, facts), clocks.knownAt)].sort((a, b) => a.seq - b.seq);
  const classified = incidentClassified(incidentId, known);
  if (!classified) return null;
  const asOf = clocks.asOf ?? clocks.knownAt.recordedAt;
  const byAsOf = (f: Fact) => instant(f.time) <= instant(asOf);
  const d = classified.data;
  const registered = known.find((f): f is Registered => f.name === 'model.registered');
  const notice = known.find((f): f is Informed => f.name === 'incident.provider-informed' && byAsOf(f));
  const aware = known.find((f): f is Aware => f.name === 'incident.provider-aware' && byAsOf(f));
  const reports = known.filter((f): f is Reported => f.name === 'incident.authority-reported' && byAsOf(f));
  const deployerIsProvider = d.about.deployerId === d.about.vendorId;
  const providerAware = providerAwareness(classified, notice, aware, deployerIsProvider);
  const isMedicalDevice = registered !== undefined && registered.data.riskClass !== 'not-a-medical-device';
  const deadlines = reportingDeadlines({
    classification: d.classification,
    publicHealthThreat: d.publicHealthThreat,
    deployerAwareAt: d.awareAt,
    informProviderWithinHours: d.informProviderWithinHours,
    deployerIsProvider,
    providerAwareAt: providerAware?.at ?? null,
    medicalDevice: isMedicalDevice,
  });
  const { actor, ...classifiedFacts } = d;
  const first = (authority: ReportingAuthority) => reports.find((r) => r.data.authority === authority);
  const context: FindingContext = { classified, asOf, awareness: providerAware?.evidence ?? [] };
  return {
    incidentId,
    asOf,
    asOfSource: clocks.asOf === undefined ? 'known-at' : 'requested',
    knownAt: clocks.knownAt,
    incident: { ...classifiedFacts, classifiedBy: actor, ...ledgerFields(classified) },
    medicalDevice: { isMedicalDevice, riskClass: registered?.data.riskClass ?? null, evidence: registered ? [registered.seq] : [] },
    providerAware,
    deadlines,
    providerNotice: notice
      ? { madeAt: notice.data.madeAt, reference: notice.data.reference, by: notice.data.actor, ...ledgerFields(notice) }
      : null,
    authorityReports: reports.map((r) => ({
      authority: r.data.authority,
      madeAt: r.data.madeAt,
      reference: r.data.reference,
      by: r.data.actor,
      ...ledgerFields(r),
    })),
    findings: [
      ...dueFindings(context, deadlines.informProviderBy, notice, NOTICE),
      ...dueFindings(context, deadlines.euAuthorityBy, first('eu-market-surveillance-authority'), EU),
      ...dueFindings(context, deadlines.mhraBy, first('uk-mhra'), MHRA, registered ? [registered.seq] : []),
    ],
  };
}

function ledgerFields(f: Fact) {
  return { happenedAt: f.time, recordedAt: f.recordedAt, evidence: [f.seq] };
}

/** The earliest the provider is known to have been aware: its own record, or the deployer's notice; the deployer's awareness when they are one. */
function providerAwareness(classified: Classified, notice: Informed | undefined, aware: Aware | undefined, deployerIsProvider: boolean) {
  if (deployerIsProvider) return { at: classified.data.awareAt, from: 'deployer-is-provider' as const, evidence: [classified.seq] };
  const candidates = [
    ...(aware ? [{ at: aware.data.awareAt, from: 'provider-record' as const, evidence: [aware.seq] }] : []),
    ...(notice ? [{ at: notice.data.madeAt, from: 'deployer-notice' as const, evidence: [notice.seq] }] : []),
  ];
  return candidates.sort((a, b) => instant(a.at) - instant(b.at))[0] ?? null;
}

interface FindingContext {
  readonly classified: Classified;
  readonly asOf: string;
  /** The entry the provider's clock starts from, cited by the authority findings. */
  readonly awareness: readonly number[];
}

interface Duty {
  readonly late: FindingCode;
  readonly missing: FindingCode;
  readonly what: string;
  readonly clockFromProvider: boolean;
}
const NOTICE: Duty = {
  late: 'INCIDENT.PROVIDER_INFORMED_LATE',
  missing: 'INCIDENT.PROVIDER_NOT_INFORMED',
  what: 'informing the provider',
  clockFromProvider: false,
};
const EU: Duty = {
  late: 'INCIDENT.AUTHORITY_REPORT_LATE',
  missing: 'INCIDENT.AUTHORITY_REPORT_MISSING',
  what: 'a report to the market surveillance authority',
  clockFromProvider: true,
};
const MHRA: Duty = {
  late: 'INCIDENT.MHRA_REPORT_LATE',
  missing: 'INCIDENT.MHRA_REPORT_MISSING',
  what: 'a report to the MHRA',
  clockFromProvider: true,
};

/** The duty's first record made after its deadline (late), or none by `asOf` once the deadline has passed (missing). */
function dueFindings(
  c: FindingContext,
  due: string | null,
  record: Informed | Reported | undefined,
  duty: Duty,
  extra: number[] = [],
): Finding[] {
  if (due === null) return [];
  const { incidentId, classification } = c.classified.data;
  const evidence = [c.classified.seq, ...(duty.clockFromProvider ? c.awareness : []), ...extra];
  const details = { incidentId, classification, dueAt: due };
  if (record) {
    if (instant(record.data.madeAt) <= instant(due)) return [];
    return [
      finding(
        duty.late,
        `Incident ${incidentId} (${classification}) was due ${duty.what} by ${due}; the first recorded was made at ${record.data.madeAt} (${record.data.reference}).`,
        [...evidence, record.seq],
        { ...details, madeAt: record.data.madeAt },
      ),
    ];
  }
  if (instant(c.asOf) <= instant(due)) return [];
  return [
    finding(
      duty.missing,
      `Incident ${incidentId} (${classification}) was due ${duty.what} by ${due}; by ${c.asOf} the ledger holds none.`,
      evidence,
      {
        ...details,
        madeAt: null,
      },
    ),
  ];
}
