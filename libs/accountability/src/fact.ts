import {
  findEventDefinition,
  fromBinaryMessage,
  subjectOf,
  validateEvent,
  type CaseAccessGrantedV1,
  type CaseClosedV1,
  type CaseHoldLiftedV1,
  type CaseHoldPlacedV1,
  type CaseOpenedV1,
  type CaseOpenedV2,
  type CaseReadV1,
  type CloudEvent,
  type ConcernAcknowledgedV1,
  type ConcernAnsweredV1,
  type ConcernRaisedV1,
  type DeploymentActivatedV1,
  type DeploymentApprovedV1,
  type DeploymentApprovedV2,
  type DeploymentExpiredV1,
  type DeploymentReinstatedV1,
  type DeploymentRejectedV1,
  type DeploymentRequestedV1,
  type DeploymentReviewedV1,
  type DeploymentRevokedV1,
  type DeploymentScopeChangedV1,
  type DeploymentSuspendedV1,
  type EventData,
  type EventDefinition,
  type IncidentAuthorityReportedV1,
  type IncidentClassifiedV1,
  type IncidentProviderAwareV1,
  type IncidentProviderInformedV1,
  type IncidentReportedV1,
  type InstructionGivenV1,
  type MandateGrantedV1,
  type MandateRevokedV1,
  type ModelRegisteredV1,
  type ModelSafetyNoticeIssuedV1,
  type ModelSafetyNoticeResolvedV1,
  type ModelVersionReleasedV1,
  type ModelVersionReleasedV2,
  type ModelVersionWithdrawnV1,
  type OutputActedOnV1,
  type OutputGeneratedV1,
  type OutputGeneratedV2,
  type OutputPresentedV1,
  type RecommendationAcceptedV1,
  type RecommendationCompletedV1,
  type RecommendationRecordedV1,
  type RecommendationRejectedV1,
  type TrainingRecordedV1,
  type UsagePolicyIssuedV1,
  type ValidationIssue,
} from '@aal/contracts';

interface FactOf<N extends string, D extends EventDefinition> {
  readonly seq: number;
  /** Catalogue name, e.g. `deployment.approved`: the union's discriminant. */
  readonly name: N;
  /** CloudEvents type with its version, e.g. `aal.deployment.approved.v1`. */
  readonly type: string;
  readonly subject: string;
  /** When it happened (the event's `time`, `ce_time`), RFC 3339. */
  readonly time: string;
  /** When the ledger recorded it (covered by the entry's leaf hash), RFC 3339. */
  readonly recordedAt: string;
  readonly data: EventData<D>;
}

/**
 * A ledger entry decoded through the contracts: every field comes from the hashed entry content
 * (`ce_*` headers, value bytes, recorded time), never from a denormalised column or a projection,
 * and `data` is the event's own validated type. One member per catalogue name.
 */
export type Fact =
  | FactOf<'model.registered', typeof ModelRegisteredV1>
  | FactOf<'model.version.released', typeof ModelVersionReleasedV1 | typeof ModelVersionReleasedV2>
  | FactOf<'model.safety-notice.issued', typeof ModelSafetyNoticeIssuedV1>
  | FactOf<'model.safety-notice.resolved', typeof ModelSafetyNoticeResolvedV1>
  | FactOf<'model.version.withdrawn', typeof ModelVersionWithdrawnV1>
  | FactOf<'deployment.requested', typeof DeploymentRequestedV1>
  | FactOf<'deployment.approved', typeof DeploymentApprovedV1 | typeof DeploymentApprovedV2>
  | FactOf<'deployment.rejected', typeof DeploymentRejectedV1>
  | FactOf<'deployment.activated', typeof DeploymentActivatedV1>
  | FactOf<'deployment.suspended', typeof DeploymentSuspendedV1>
  | FactOf<'deployment.reinstated', typeof DeploymentReinstatedV1>
  | FactOf<'deployment.revoked', typeof DeploymentRevokedV1>
  | FactOf<'deployment.expired', typeof DeploymentExpiredV1>
  | FactOf<'deployment.scope-changed', typeof DeploymentScopeChangedV1>
  | FactOf<'deployment.reviewed', typeof DeploymentReviewedV1>
  | FactOf<'usage-policy.issued', typeof UsagePolicyIssuedV1>
  | FactOf<'training.recorded', typeof TrainingRecordedV1>
  | FactOf<'output.generated', typeof OutputGeneratedV1 | typeof OutputGeneratedV2>
  | FactOf<'output.presented', typeof OutputPresentedV1>
  | FactOf<'output.acted-on', typeof OutputActedOnV1>
  | FactOf<'instruction.given', typeof InstructionGivenV1>
  | FactOf<'incident.reported', typeof IncidentReportedV1>
  | FactOf<'mandate.granted', typeof MandateGrantedV1>
  | FactOf<'mandate.revoked', typeof MandateRevokedV1>
  | FactOf<'case.opened', typeof CaseOpenedV1 | typeof CaseOpenedV2>
  | FactOf<'case.access-granted', typeof CaseAccessGrantedV1>
  | FactOf<'case.read', typeof CaseReadV1>
  | FactOf<'case.closed', typeof CaseClosedV1>
  | FactOf<'case.hold-placed', typeof CaseHoldPlacedV1>
  | FactOf<'case.hold-lifted', typeof CaseHoldLiftedV1>
  | FactOf<'concern.raised', typeof ConcernRaisedV1>
  | FactOf<'concern.acknowledged', typeof ConcernAcknowledgedV1>
  | FactOf<'concern.answered', typeof ConcernAnsweredV1>
  | FactOf<'recommendation.recorded', typeof RecommendationRecordedV1>
  | FactOf<'recommendation.accepted', typeof RecommendationAcceptedV1>
  | FactOf<'recommendation.completed', typeof RecommendationCompletedV1>
  | FactOf<'recommendation.rejected', typeof RecommendationRejectedV1>
  | FactOf<'incident.classified', typeof IncidentClassifiedV1>
  | FactOf<'incident.provider-informed', typeof IncidentProviderInformedV1>
  | FactOf<'incident.provider-aware', typeof IncidentProviderAwareV1>
  | FactOf<'incident.authority-reported', typeof IncidentAuthorityReportedV1>;

export type FactName = Fact['name'];
export type FactNamed<N extends FactName> = Extract<Fact, { readonly name: N }>;

/** A ledger entry as recorded: position, recorded time and the hashed content (headers, value bytes). */
export interface RawEntry {
  readonly seq: number;
  readonly recordedAt: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly value: Uint8Array;
}

export type DecodedFact = { readonly ok: true; readonly fact: Fact } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * A validated CloudEvent as a fact at `seq`. The event MUST pass `validateEvent` (catalogue type,
 * schema, subject derived from the data); then its data is, by the contract, `EventData` of the
 * definition its type names, which is what the union states. This is the one place the decoded
 * JSON becomes a typed value.
 */
export function factFromEvent(event: CloudEvent<unknown>, seq: number, recordedAt: string): DecodedFact {
  const issues = validateEvent(event);
  const definition = findEventDefinition(event.type);
  // A valid event's type is in the catalogue; the second test only tells the compiler so.
  if (issues.length > 0 || definition === undefined) return { ok: false, issues };
  const fact = { seq, name: definition.name, type: event.type, subject: event.subject, time: event.time, recordedAt, data: event.data };
  return { ok: true, fact: fact as Fact };
}

/** One decoder for every entry: without `stream`, each decode stands alone (no state carried over). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a recorded entry (headers and value bytes, exactly as hashed into its leaf) into a
 * fact. Refuses anything that does not validate: the ledger only appends valid events, so a
 * refusal means the entry is not what the ledger appended (a tampering signal for the caller).
 * Pure and browser-safe: the value is decoded as UTF-8 with TextDecoder, no Node APIs.
 */
export function decodeFactEntry(entry: RawEntry): DecodedFact {
  let text: string;
  try {
    text = UTF8.decode(entry.value);
  } catch {
    return { ok: false, issues: [{ pointer: '/value', rule: 'utf-8', message: 'is not UTF-8' }] };
  }
  const decoded = fromBinaryMessage(entry.headers, text);
  if (!decoded.ok) return { ok: false, issues: decoded.issues };
  return factFromEvent(decoded.event, entry.seq, entry.recordedAt);
}

/** The fact an entry holds, or undefined when it does not decode and validate (see decodeFactEntry). */
export function decodeFact(entry: RawEntry): Fact | undefined {
  const decoded = decodeFactEntry(entry);
  return decoded.ok ? decoded.fact : undefined;
}

/**
 * The lookup keys under which a fact is found: its own subject, plus the other aggregates it
 * speaks about (a training record is found from its deployment, an incident from its outputs).
 */
export function factKeys(fact: Fact): string[] {
  const keys = new Set([fact.subject]);
  switch (fact.name) {
    case 'training.recorded':
      keys.add(subjectOf('deployment', fact.data.deploymentId));
      break;
    case 'incident.reported':
      for (const id of fact.data.outputIds) keys.add(subjectOf('output', id));
      break;
    case 'instruction.given':
      if (fact.data.outputId !== undefined) keys.add(subjectOf('output', fact.data.outputId));
      break;
    case 'concern.raised':
    case 'concern.acknowledged':
    case 'concern.answered':
      // Found from the model it is about (so from every output of the version) and its deployment.
      keys.add(subjectOf('model', fact.data.about.modelId));
      if (fact.data.about.kind === 'deployment') keys.add(subjectOf('deployment', fact.data.about.deploymentId));
      break;
    case 'recommendation.recorded':
      // Found from each finding it links on its version or deployment, so other cases' links are found for a recurring pattern.
      for (const key of patternKeys(fact.data.arisesFrom)) keys.add(key);
      break;
    default:
      break;
  }
  return [...keys];
}

/** What a recommendation links: finding codes on a version and/or a deployment (recommendation.recorded's `arisesFrom`). */
export interface PatternLinks {
  readonly findingCodes: readonly string[];
  readonly versionId?: string;
  readonly deploymentId?: string;
}

/** One finding code on one version or deployment: what a recurring pattern counts. */
export interface PatternTarget {
  readonly findingCode: string;
  readonly on: 'version' | 'deployment';
  readonly id: string;
}

/** Each finding code a recommendation links, once on its version and once on its deployment. */
export function patternTargets(links: PatternLinks | undefined): PatternTarget[] {
  if (!links) return [];
  return links.findingCodes.flatMap((findingCode) => [
    ...(links.versionId !== undefined ? [{ findingCode, on: 'version' as const, id: links.versionId }] : []),
    ...(links.deploymentId !== undefined ? [{ findingCode, on: 'deployment' as const, id: links.deploymentId }] : []),
  ]);
}

/**
 * The lookup key of a pattern target, e.g. `pattern:REVIEW.BELOW_POLICY_MINIMUM:version:<id>`. Not
 * a subject: no answer about an output reads it, so a recommendation never enters an output's basis.
 */
export const patternKey = (t: PatternTarget) => `pattern:${t.findingCode}:${t.on}:${t.id}`;

/** The pattern keys of a recommendation's links. */
export function patternKeys(links: PatternLinks | undefined): string[] {
  return patternTargets(links).map(patternKey);
}
