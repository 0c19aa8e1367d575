import { findEventDefinition, type ProducerName } from '@aal/contracts';
import { firstDifference } from './answer-basis';
import { decodeFact, type Fact, type FactNamed, type RawEntry } from './fact';

export type { RawEntry } from './fact';

/** The four parties whose records meet in an output's chain: the columns of a case report. */
export type ChainParty = 'vendor' | 'employer' | 'clinical-system' | 'investigator';

export const PARTIES: readonly ChainParty[] = ['vendor', 'employer', 'clinical-system', 'investigator'];

/** Who speaks through a producing service: a party of the chain, the organisation that took in a concern, or the deployer and provider reporting an incident. */
export type Party = ChainParty | 'concern-intake' | 'incident-reporting';

/** Who speaks through each producing service. */
export const PARTY_OF_PRODUCER: Record<ProducerName, Party> = {
  'model-registry': 'vendor',
  'deployment-approval': 'employer',
  'usage-events': 'clinical-system',
  ledger: 'investigator',
  concerns: 'concern-intake',
  incidents: 'incident-reporting',
};

/** One line of a case's timeline, in ledger order. */
export interface TimelineEntry {
  readonly seq: number;
  /** When the ledger recorded it. */
  readonly recordedAt: string;
  /** When it happened, as its producer says (`ce_time`). */
  readonly eventTime: string;
  /** Catalogue name, e.g. `deployment.approved`; for a type outside the catalogue, the type as recorded. */
  readonly type: string;
  /** CloudEvents type, e.g. `aal.deployment.approved.v1`. */
  readonly eventType: string;
  readonly eventId: string;
  readonly source: string;
  readonly subject: string;
  readonly party: Party | 'unknown';
  readonly summary: string;
}

/** Parses an entry's value for display (the replay's `data`); an entry that is not a JSON object reads as empty. */
export function entryData(value: Uint8Array): Readonly<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(value));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function timelineEntry(raw: RawEntry): TimelineEntry {
  return timelineLine(raw, decodeFact(raw));
}

/** timelineEntry for a caller that has decoded the entry already (`fact`: decodeFact(raw)). */
export function timelineLine(raw: RawEntry, fact: Fact | undefined): TimelineEntry {
  const eventType = raw.headers['ce_type'] ?? '';
  const definition = findEventDefinition(eventType);
  // A type outside the catalogue has no catalogue name: it is shown as recorded, never guessed at.
  const name = definition?.name ?? eventType;
  return {
    seq: raw.seq,
    recordedAt: raw.recordedAt,
    eventTime: raw.headers['ce_time'] ?? '',
    type: name,
    eventType,
    eventId: raw.headers['ce_id'] ?? '',
    source: raw.headers['ce_source'] ?? '',
    subject: raw.headers['ce_subject'] ?? '',
    party: definition ? PARTY_OF_PRODUCER[definition.producer] : 'unknown',
    // An entry that does not decode is named, never summarised from guesses: it is not what the ledger appended.
    summary: fact ? summarise(fact) : `${name || 'an entry'} that does not decode as a valid catalogue event`,
  };
}

const who = (actor: { personId: string; role: string; organisationId: string }) =>
  `${actor.personId} (${actor.role}, ${actor.organisationId})`;
const list = (items: readonly string[]) => items.join(', ');

/** One factual sentence per event, for people; never a judgement. Exhaustive over the catalogue. */
export function summarise(fact: Fact): string {
  switch (fact.name) {
    case 'model.registered':
      return `${who(fact.data.actor)} registered model "${fact.data.name}" of ${fact.data.vendorId} (risk class ${fact.data.riskClass})`;
    case 'model.version.released':
      return `${who(fact.data.actor)} released version ${fact.data.version} of model ${fact.data.modelId}`;
    case 'model.safety-notice.issued':
      return `${who(fact.data.actor)} issued a ${fact.data.severity} safety notice ${fact.data.noticeId} for model ${fact.data.modelId}`;
    case 'model.safety-notice.resolved':
      return `${who(fact.data.actor)} resolved safety notice ${fact.data.noticeId}`;
    case 'model.version.withdrawn':
      return `${who(fact.data.actor)} withdrew version ${fact.data.versionId} of model ${fact.data.modelId}`;
    case 'deployment.requested':
      return `${who(fact.data.actor)} requested deployment ${fact.data.deploymentId} of version ${fact.data.versionId}`;
    case 'deployment.approved':
    case 'deployment.rejected':
    case 'deployment.activated':
    case 'deployment.suspended':
    case 'deployment.reinstated':
    case 'deployment.revoked':
    case 'deployment.expired': {
      const reason = 'reason' in fact.data && fact.data.reason ? ` (${fact.data.reason})` : '';
      return `${who(fact.data.actor)}: deployment ${fact.data.deploymentId} ${fact.name.slice('deployment.'.length)}${reason}`;
    }
    case 'deployment.scope-changed':
      return `${who(fact.data.actor)} changed the approved scope of deployment ${fact.data.deploymentId} (review by ${fact.data.reviewDate}): ${fact.data.reason}`;
    case 'deployment.reviewed':
      return `${who(fact.data.actor)} reviewed deployment ${fact.data.deploymentId}; next review by ${fact.data.nextReviewDate}`;
    case 'usage-policy.issued':
      return `${who(fact.data.actor)} issued a ${fact.data.use} usage policy for deployment ${fact.data.deploymentId}, minimum review ${fact.data.minimumReviewSeconds} s`;
    case 'training.recorded':
      return `${who(fact.data.actor)} recorded training of ${fact.data.professionalId} for deployment ${fact.data.deploymentId}`;
    case 'output.generated':
      return `output ${fact.data.outputId} generated by deployment ${fact.data.deploymentId} at ${fact.data.site}`;
    case 'output.presented':
      return `output ${fact.data.outputId} presented to ${fact.data.professional.personId} (${fact.data.professional.role})`;
    case 'output.acted-on':
      return `${fact.data.professional.personId} ${fact.data.action} output ${fact.data.outputId} after ${fact.data.reviewDurationSeconds} s of review`;
    case 'instruction.given':
      return `${fact.data.instructor.personId} (${fact.data.instructor.role}) instructed ${fact.data.professionalId}: ${fact.data.kind}${fact.data.outputId ? ` for output ${fact.data.outputId}` : ''}`;
    case 'incident.reported':
      return `${who(fact.data.actor)} reported incident ${fact.data.incidentId} involving outputs ${list(fact.data.outputIds)}`;
    case 'mandate.granted': {
      const d = fact.data;
      const over =
        d.scope.kind === 'incident'
          ? `incident ${d.scope.incidentId}`
          : d.scope.kind === 'outputs'
            ? `outputs ${list(d.scope.outputIds)}`
            : 'all records';
      return `${who(d.actor)} gave ${d.investigatingOrganisationId} mandate ${d.mandateId} (${d.kind}) over ${over} of ${d.organisationId}${d.until ? ` until ${d.until}` : ''} (${d.reference})`;
    }
    case 'mandate.revoked':
      return `${who(fact.data.actor)} revoked mandate ${fact.data.mandateId}`;
    case 'case.opened': {
      const d = fact.data;
      const basis =
        'basis' in d
          ? ` (basis: ${d.basis.map((b) => (b.by === 'mandate' ? `${b.organisationId} under mandate ${list(b.mandateIds)}` : `${b.organisationId}, its own`)).join('; ')})`
          : '';
      return `${who(d.actor)} opened case ${d.caseId} against checkpoint ${d.openedAgainst.treeSize}${basis}`;
    }
    case 'case.access-granted':
      return `${who(fact.data.actor)} granted ${fact.data.grantee.personId} (${fact.data.grantee.organisationId}) access to case ${fact.data.caseId}`;
    case 'case.read':
      return `${who(fact.data.actor)} read the ${fact.data.view} of case ${fact.data.caseId}${fact.data.knownAt !== undefined ? ` as known at ${fact.data.knownAt}` : ''}`;
    case 'case.closed':
      return `${who(fact.data.actor)} closed case ${fact.data.caseId}`;
    case 'case.hold-placed':
      return `${who(fact.data.actor)} placed a legal hold on case ${fact.data.caseId}: ${fact.data.reason}`;
    case 'case.hold-lifted':
      return `${who(fact.data.actor)} lifted the legal hold on case ${fact.data.caseId}: ${fact.data.reason}`;
    case 'concern.raised':
      return `${who(fact.data.actor)} took in concern ${fact.data.concernId} (${fact.data.category}, severity ${fact.data.severity}, raised by ${fact.data.raisedBy}) about ${concernAbout(fact.data.about)}`;
    case 'concern.acknowledged':
      return `${who(fact.data.actor)} acknowledged concern ${fact.data.concernId} for the ${fact.data.addressee.party} ${fact.data.addressee.organisationId}`;
    case 'concern.answered':
      return `${who(fact.data.actor)} answered concern ${fact.data.concernId} for the ${fact.data.addressee.party} ${fact.data.addressee.organisationId}: ${fact.data.answer} (${fact.data.reference})`;
    case 'recommendation.recorded':
      return `${who(fact.data.actor)} recorded recommendation ${fact.data.recommendationId} of case ${fact.data.caseId} to the ${fact.data.addressee.party} ${fact.data.addressee.organisationId}, due by ${fact.data.dueBy}`;
    case 'recommendation.accepted':
      return `${who(fact.data.actor)} accepted recommendation ${fact.data.recommendationId} of case ${fact.data.caseId} with a plan`;
    case 'recommendation.completed':
      return `${who(fact.data.actor)} completed recommendation ${fact.data.recommendationId} of case ${fact.data.caseId} (${fact.data.reference})`;
    case 'recommendation.rejected':
      return `${who(fact.data.actor)} rejected recommendation ${fact.data.recommendationId} of case ${fact.data.caseId}`;
    case 'incident.classified':
      return `${who(fact.data.actor)} classified incident ${fact.data.incidentId} in deployment ${fact.data.about.deploymentId} as ${fact.data.classification}${fact.data.publicHealthThreat ? ' (a serious public health threat)' : ''}, aware since ${fact.data.awareAt} (${fact.data.harmReference})`;
    case 'incident.provider-informed':
      return `${who(fact.data.actor)} recorded informing the provider ${fact.data.about.vendorId} of incident ${fact.data.incidentId} at ${fact.data.madeAt} (${fact.data.reference})`;
    case 'incident.provider-aware':
      return `${who(fact.data.actor)} recorded that the provider became aware of incident ${fact.data.incidentId} at ${fact.data.awareAt}`;
    case 'incident.authority-reported':
      return `${who(fact.data.actor)} recorded a report of incident ${fact.data.incidentId} to ${fact.data.authority} made at ${fact.data.madeAt} (${fact.data.reference})`;
    default:
      return unreachable(fact);
  }
}

function concernAbout(about: FactNamed<'concern.raised'>['data']['about']): string {
  return about.kind === 'deployment' ? `deployment ${about.deploymentId}` : `version ${about.versionId} of model ${about.modelId}`;
}

function unreachable(_fact: never): never {
  throw new Error('an event the catalogue does not know');
}

/** Every sequence number cited under an `evidence` key anywhere in `value` (an accountability answer). */
export function evidenceSeqs(value: unknown): number[] {
  const found: number[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    for (const [k, child] of Object.entries(v)) {
      if (k === 'evidence' && Array.isArray(child)) found.push(...child.filter((n): n is number => Number.isSafeInteger(n)));
      else walk(child);
    }
  };
  walk(value);
  return found;
}

/** The union of seq lists, ascending, without duplicates, and none after `knownAt` when given. */
export function relatedSeqs(lists: ReadonlyArray<readonly number[]>, knownAt?: number): number[] {
  const all = new Set(lists.flat());
  return [...all].filter((s) => knownAt === undefined || s <= knownAt).sort((a, b) => a - b);
}

/** Where a stated case timeline first departs from the one its proven entries give. */
export interface TimelineDifference {
  /** Position of the line in the stated timeline (or where the missing line belongs). */
  readonly line: number;
  /** The seq of that line, stated or (for a line left out) recomputed. */
  readonly seq: number | null;
  /** JSON Pointer into the stated lines, e.g. `/3/summary`. */
  readonly pointer: string;
  readonly stated: unknown;
  readonly recomputed: unknown;
}

export interface TimelineRecomputation {
  /** Proven entries the lines were recomputed from. */
  readonly entries: number;
  /** Lines stated. */
  readonly lines: number;
  readonly difference: TimelineDifference | null;
}

/**
 * Recomputes a stated case timeline (the lines of `GET /cases/:id/timeline`, in ledger order)
 * from proven entries with `timelineEntry`: every proven entry up to the last stated seq MUST
 * have exactly its line, in order, and no other line may be stated. Pure and browser-safe: the
 * investigator page runs it on the case export's entries once it has proven them. `entries` MUST
 * be proven already; this function proves nothing.
 */
export function recomputeTimeline(stated: unknown, entries: Iterable<RawEntry>): TimelineRecomputation {
  const lines = Array.isArray(stated) ? (stated as unknown[]) : [];
  const proven = [...entries].sort((a, b) => a.seq - b.seq);
  const seqOf = (line: unknown) =>
    typeof line === 'object' && line !== null && Number.isSafeInteger((line as { seq?: unknown }).seq)
      ? (line as { seq: number }).seq
      : null;
  const last = lines.reduce<number>((max, line) => Math.max(max, seqOf(line) ?? -1), -1);
  const recomputed = proven.filter((e) => e.seq <= last).map((e) => ({ ...timelineEntry(e) }));
  const d = firstDifference(recomputed, lines);
  if (!d) return { entries: proven.length, lines: lines.length, difference: null };
  const line = Number(d.pointer.split('/')[1] ?? 0);
  return {
    entries: proven.length,
    lines: lines.length,
    difference: {
      line,
      seq: seqOf(lines[line]) ?? seqOf(recomputed[line]),
      pointer: d.pointer,
      stated: d.stated ?? null,
      recomputed: d.recomputed ?? null,
    },
  };
}
