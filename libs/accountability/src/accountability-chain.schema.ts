import {
  Actor,
  DEPLOYMENT_STATUS_AFTER,
  DEPLOYMENT_STATUSES,
  DeploymentActivatedV1,
  DeploymentApprovedV1,
  DeploymentApprovedV2,
  DeploymentRequestedV1,
  DeploymentScope,
  DeploymentScopeChangedV1,
  InstructionGivenV1,
  ModelRegisteredV1,
  ModelSafetyNoticeIssuedV1,
  ModelVersionReleasedV1,
  ModelVersionReleasedV2,
  ModelVersionWithdrawnV1,
  OutputActedOnV1,
  OutputGeneratedV2,
  OutputPresentedV1,
  Timestamp,
  TrainingRecordedV1,
  UsagePolicyIssuedV1,
  type DeploymentLifecycleEventName,
} from '@aal/contracts';
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { ScopeCheck } from './scope-checks';

/**
 * The accountability chain's shape, one definition: the JSON Schema the ledger documents its answers
 * with, and (through `Static`) the type the chain builder returns. Each item is its event's data
 * without the keys the chain states elsewhere, then the members the chain names (who did it,
 * statuses), then the ledger's fields; items of versioned events are one shape per version.
 */

const closed = { additionalProperties: false } as const;

/** Ledger sequence numbers, ascending. */
export const Seqs = Type.Array(Type.Integer({ minimum: 0 }), { description: 'Ledger sequence numbers of the entries that prove it.' });

/** The clock marks of clocks.ts, present only when they apply. */
export const ClockMarks = {
  recordedLateBySeconds: Type.Optional(Type.Integer({ minimum: 0, description: 'Recorded this long after it happened (only when late).' })),
  backDated: Type.Optional(Type.Literal(true, { description: 'Decided after `asOf` but in effect at or before it.' })),
};

/** What every item built from one fact carries after its own members. */
export const LedgerFields = {
  happenedAt: Timestamp,
  recordedAt: Timestamp,
  evidence: Seqs,
  ...ClockMarks,
};

/** An item for an event: its data without `drop`, then `named`, then the ledger's fields (accountability-chain.ts `item`). */
function itemOf<S extends TObject, const K extends keyof S['properties'] & string, P extends TProperties>(
  event: S,
  drop: readonly K[],
  named: P,
): TObject<Omit<S['properties'], K> & P & typeof LedgerFields> {
  const kept = Object.entries(event.properties).filter(([key]) => !(drop as readonly string[]).includes(key));
  // Spelt out rather than Type.Omit + Type.Composite, whose static type is lost in a generic function.
  return Type.Object({ ...Object.fromEntries(kept), ...named, ...LedgerFields }, closed) as never;
}

const ACTOR = ['actor'] as const;

export const OutputItem = Type.Composite(
  [
    Type.Pick(OutputGeneratedV2.schema, [
      'deploymentId',
      'modelId',
      'versionId',
      'subjectRef',
      'outputDigest',
      'site',
      'service',
      'population',
      'summary',
    ]),
    Type.Object({ generatedAt: Timestamp, recordedAt: Timestamp, reportedBy: Actor, evidence: Seqs, ...ClockMarks }),
  ],
  { ...closed, description: 'The output as the clinical system reported it (output.generated; `service` and `population` from v2).' },
);

export const ModelItem = itemOf(ModelRegisteredV1.schema, ACTOR, { registeredBy: Actor });

const VersionStatus = Type.Union([Type.Literal('released'), Type.Literal('withdrawn'), Type.Literal('not-yet-released')]);
const Withdrawal = Type.Composite(
  [Type.Pick(ModelVersionWithdrawnV1.schema, ['effectiveAt', 'reason']), Type.Object({ withdrawnBy: Actor, ...LedgerFields })],
  closed,
);
const versionNamed = { releasedBy: Actor, statusAtOutputTime: VersionStatus, withdrawal: Type.Optional(Withdrawal) };
const VERSION_IDS = ['actor', 'modelId', 'vendorId'] as const;
export const VersionItem = Type.Union(
  [itemOf(ModelVersionReleasedV1.schema, VERSION_IDS, versionNamed), itemOf(ModelVersionReleasedV2.schema, VERSION_IDS, versionNamed)],
  { description: 'The released version (model.version.released v1 or v2), its status at `asOf` and its withdrawal if one is in effect.' },
);

export const SafetyNoticeItem = itemOf(ModelSafetyNoticeIssuedV1.schema, ['actor', 'modelId', 'vendorId'], { issuedBy: Actor });

const ACTOR_DEPLOYMENT = ['actor', 'deploymentId'] as const;
export const RequestItem = itemOf(DeploymentRequestedV1.schema, ACTOR_DEPLOYMENT, { requestedBy: Actor });
export const ApprovalItem = Type.Union([
  itemOf(DeploymentApprovedV1.schema, ACTOR_DEPLOYMENT, { approvedBy: Actor }),
  itemOf(DeploymentApprovedV2.schema, ACTOR_DEPLOYMENT, { approvedBy: Actor }),
]);
export const ActivationItem = Type.Composite(
  [Type.Pick(DeploymentActivatedV1.schema, ['sites', 'effectiveAt']), Type.Object({ activatedBy: Actor, ...LedgerFields })],
  closed,
);

export const ScopeItem = Type.Object(
  {
    source: Type.Union([Type.Literal('deployment.approved'), Type.Literal('deployment.scope-changed')]),
    scope: DeploymentScope,
    effectiveAt: Timestamp,
    decidedBy: Actor,
    reason: Type.Optional(DeploymentScopeChangedV1.schema.properties.reason),
    ...LedgerFields,
  },
  {
    ...closed,
    description: 'The machine-checkable scope in force at `asOf`: the approval’s (v2) or the last scope change in effect by then.',
  },
);

export const ReviewDateItem = Type.Object(
  {
    reviewDate: DeploymentScopeChangedV1.schema.properties.reviewDate,
    source: Type.Union([
      Type.Literal('deployment.approved'),
      Type.Literal('deployment.scope-changed'),
      Type.Literal('deployment.reviewed'),
    ]),
    effectiveAt: Timestamp,
    decidedBy: Actor,
    ...LedgerFields,
  },
  { ...closed, description: 'The review date in force at `asOf`: the approval’s, or a later scope change’s or review’s.' },
);

const LIFECYCLE_EVENTS = Object.keys(DEPLOYMENT_STATUS_AFTER).filter(
  (name) => DEPLOYMENT_STATUS_AFTER[name as keyof typeof DEPLOYMENT_STATUS_AFTER] !== null,
) as DeploymentLifecycleEventName[];

export const TransitionItem = Type.Object(
  {
    event: Type.Union(LIFECYCLE_EVENTS.map((name) => Type.Literal(name))),
    effectiveAt: Timestamp,
    by: Actor,
    reason: Type.Optional(Type.String()),
    ...LedgerFields,
  },
  closed,
);

export const DeploymentState = Type.Union([Type.Literal('unknown'), ...DEPLOYMENT_STATUSES.map((s) => Type.Literal(s))], {
  description: '`unknown`: the ledger holds no lifecycle event of the deployment in effect at `asOf`.',
});
export type DeploymentState = Static<typeof DeploymentState>;

/** The deployment's part of a chain, shared with the deployment-level scope answer. */
export const ApprovedAndDeployed = Type.Object(
  {
    deploymentId: OutputGeneratedV2.schema.properties.deploymentId,
    request: Type.Union([RequestItem, Type.Null()]),
    approval: Type.Union([ApprovalItem, Type.Null()]),
    activation: Type.Union([ActivationItem, Type.Null()]),
    scope: Type.Union([ScopeItem, Type.Null()], { description: 'Null when none states one (a v1 approval).' }),
    reviewDateInForce: Type.Union([ReviewDateItem, Type.Null()]),
    stateAtOutputTime: Type.Object({ state: DeploymentState, evidence: Seqs }, closed),
    transitions: Type.Array(TransitionItem),
  },
  closed,
);

/** A scope change as a chain item, with whether it had taken effect by `asOf` (`scopeChangeItems`). */
export const ScopeChangeItem = itemOf(DeploymentScopeChangedV1.schema, ACTOR_DEPLOYMENT, {
  decidedBy: Actor,
  effectiveByAsOf: Type.Boolean(),
});

export const PolicyItem = itemOf(UsagePolicyIssuedV1.schema, ACTOR_DEPLOYMENT, {
  issuedBy: Actor,
  coversOutputSite: Type.Boolean(),
  coversProfessionals: Type.Array(Type.String(), { description: 'Who saw or acted on the output in a role the policy names.' }),
});

export const InstructionItem = itemOf(InstructionGivenV1.schema, ['actor', 'outputId'], { recordedBy: Actor });
export const TrainingRecordItem = itemOf(TrainingRecordedV1.schema, ['deploymentId'], {});

const ACTOR_OUTPUT_ORGANISATION = ['actor', 'outputId', 'organisationId'] as const;
export const PresentationItem = itemOf(OutputPresentedV1.schema, ACTOR_OUTPUT_ORGANISATION, {});
export const ActionItem = itemOf(OutputActedOnV1.schema, ACTOR_OUTPUT_ORGANISATION, {});

/**
 * The accountability chain of one AI output, as it stood at `asOf` (accountability-chain.ts says
 * what `asOf` governs). Every item names the entries that prove it and both clocks.
 */
export const AccountabilityChain = Type.Object(
  {
    outputId: OutputGeneratedV2.schema.properties.outputId,
    asOf: Type.String({
      format: 'date-time',
      description: 'The moment the chain describes: `asOf` if given, else when the output was generated.',
    }),
    asOfSource: Type.Union([Type.Literal('output-generated'), Type.Literal('requested')]),
    output: OutputItem,
    built: Type.Object(
      {
        model: Type.Union([ModelItem, Type.Null()]),
        version: Type.Union([VersionItem, Type.Null()]),
        safetyNoticesInForce: Type.Array(SafetyNoticeItem),
      },
      closed,
    ),
    approvedAndDeployed: ApprovedAndDeployed,
    instructed: Type.Object(
      {
        policiesInForce: Type.Array(PolicyItem),
        instructions: Type.Array(InstructionItem),
        training: Type.Array(
          Type.Object(
            {
              professionalId: TrainingRecordedV1.schema.properties.professionalId,
              trainedAtOutputTime: Type.Boolean(),
              records: Type.Array(TrainingRecordItem),
            },
            closed,
          ),
        ),
      },
      closed,
    ),
    actedOn: Type.Object({ presentations: Type.Array(PresentationItem), actions: Type.Array(ActionItem) }, closed),
    scopeChecks: Type.Array(ScopeCheck, {
      description:
        'The output against the approved scope and the version’s intended population: every check, made or stated as not possible.',
    }),
  },
  closed,
);
export type AccountabilityChain = Static<typeof AccountabilityChain>;
