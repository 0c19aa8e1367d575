import type {
  Actor,
  AgeBand,
  CodedContraindication,
  DeploymentActivatedV1,
  DeploymentApprovedV1,
  DeploymentApprovedV2,
  DeploymentExpiredV1,
  DeploymentReinstatedV1,
  DeploymentRejectedV1,
  DeploymentRequestedV1,
  DeploymentReviewedV1,
  DeploymentRevokedV1,
  DeploymentScope,
  DeploymentScopeChangedV1,
  DeploymentStatus,
  DeploymentSuspendedV1,
  EventData,
  UsagePolicyIssuedV1,
} from '@aal/contracts';
import type { OccurredEvent } from '@aal/domain';

/**
 * The event contracts for request, approval and rejection carry no time of their own, so the
 * decider stamps `occurredAt` (the command's) beside the data to let `evolve` record when each
 * transition took place.
 */
export type DeploymentEvent =
  | OccurredEvent<'deployment.requested', EventData<typeof DeploymentRequestedV1>>
  // Decided as v2 (with a scope); v1 (none) is how deployments approved before scopes were recorded.
  | OccurredEvent<'deployment.approved', EventData<typeof DeploymentApprovedV2> | EventData<typeof DeploymentApprovedV1>>
  | OccurredEvent<'deployment.rejected', EventData<typeof DeploymentRejectedV1>>
  | OccurredEvent<'deployment.activated', EventData<typeof DeploymentActivatedV1>>
  | OccurredEvent<'deployment.suspended', EventData<typeof DeploymentSuspendedV1>>
  | OccurredEvent<'deployment.reinstated', EventData<typeof DeploymentReinstatedV1>>
  | OccurredEvent<'deployment.revoked', EventData<typeof DeploymentRevokedV1>>
  | OccurredEvent<'deployment.expired', EventData<typeof DeploymentExpiredV1>>
  | OccurredEvent<'deployment.scope-changed', EventData<typeof DeploymentScopeChangedV1>>
  | OccurredEvent<'deployment.reviewed', EventData<typeof DeploymentReviewedV1>>
  | OccurredEvent<'usage-policy.issued', EventData<typeof UsagePolicyIssuedV1>>;

/** Every command carries the deployment it targets, the caller as `actor`, and `occurredAt`: the request time, RFC 3339 UTC. */
type On<K extends string, D> = { readonly kind: K; readonly occurredAt: string } & D;
type Lifecycle = { readonly deploymentId: string; readonly effectiveAt: string; readonly reason: string; readonly actor: Actor };
/** Takes effect at `occurredAt`; allowed once the UTC date of `occurredAt` is on or after the review date. */
type Expiry = { readonly deploymentId: string; readonly actor: Actor };

/**
 * What model-registry has said about one model version, as this service's catalogue (fed from
 * Kafka) knew it when the command was handled. `version` is null when the catalogue does not know
 * the version (yet). `notices` are every safety notice naming the version, resolved or not.
 */
export interface VersionCatalogueFacts {
  readonly version: {
    readonly versionId: string;
    readonly modelId: string;
    readonly status: 'released' | 'withdrawn';
    readonly withdrawnAt: string | null;
    /** What the vendor said the version is for (model.version.released v2); null for a v1 release, which codes nothing. */
    readonly population: {
      readonly contraindications: readonly CodedContraindication[];
      readonly ageBands: readonly AgeBand[];
    } | null;
  } | null;
  readonly notices: ReadonlyArray<{
    readonly noticeId: string;
    readonly severity: 'low' | 'medium' | 'high' | 'critical';
    readonly affectedVersionIds: readonly string[];
    readonly resolvedAt: string | null;
  }>;
}

/** Commands whose decision reads the catalogue facts; the handler loads them (CATALOGUE_CHECKED_COMMANDS). */
type WithCatalogue = { readonly catalogue: VersionCatalogueFacts };

/** Commands whose decision reads the catalogue facts: those putting a version into use, and setting a scope (its population rules). */
export const CATALOGUE_CHECKED_COMMANDS = [
  'ApproveDeployment',
  'ActivateDeployment',
  'ReinstateDeployment',
  'ChangeDeploymentScope',
] as const;

export type DeploymentCommand =
  | On<'RequestDeployment', Omit<EventData<typeof DeploymentRequestedV1>, 'employerId'>>
  | On<'ApproveDeployment', Omit<EventData<typeof DeploymentApprovedV2>, 'employerId'> & WithCatalogue>
  | On<'RejectDeployment', Omit<EventData<typeof DeploymentRejectedV1>, 'employerId'>>
  | On<'ActivateDeployment', Omit<EventData<typeof DeploymentActivatedV1>, 'employerId'> & WithCatalogue>
  | On<'SuspendDeployment', Lifecycle>
  | On<'ReinstateDeployment', Lifecycle & WithCatalogue>
  | On<'RevokeDeployment', Lifecycle>
  | On<'ExpireDeployment', Expiry>
  | On<'IssueUsagePolicy', Omit<EventData<typeof UsagePolicyIssuedV1>, 'employerId'>>
  | On<'ChangeDeploymentScope', Omit<EventData<typeof DeploymentScopeChangedV1>, 'employerId'> & WithCatalogue>
  | On<'ReviewDeployment', Omit<EventData<typeof DeploymentReviewedV1>, 'employerId'>>;

export type DeploymentCommandKind = DeploymentCommand['kind'];

/** A command as a caller gives it: the catalogue facts are added by the handler, never by the caller. */
export type DeploymentCommandInput = WithoutCatalogue<DeploymentCommand>;
type WithoutCatalogue<C> = C extends unknown ? Omit<C, 'catalogue'> : never;

/** Defined beside the deployment events, with the status each event leaves (libs/contracts/src/deployment-lifecycle.ts). */
export type { DeploymentStatus } from '@aal/contracts';

/** One change of status: who made it, when it took effect, and why when a reason was given. */
export interface Transition {
  readonly status: DeploymentStatus;
  readonly by: Actor;
  readonly at: string;
  readonly reason?: string;
}

export type UsagePolicy = Omit<EventData<typeof UsagePolicyIssuedV1>, 'deploymentId' | 'employerId' | 'actor'> & {
  readonly issuedBy: Actor;
  readonly issuedAt: string;
};

interface DeploymentFacts {
  readonly deploymentId: string;
  readonly employerId: string;
  readonly modelId: string;
  readonly versionId: string;
  readonly setting: EventData<typeof DeploymentRequestedV1>['setting'];
  readonly intendedUse: string;
  readonly requestedBy: Actor;
  readonly policies: readonly UsagePolicy[];
  readonly transitions: readonly Transition[];
}

interface ApprovalFacts {
  readonly approvedBy: Actor;
  readonly conditions: readonly string[];
  readonly hazardLogRef: string;
  /** The date the approval holds until; moved by a scope change or a review. */
  readonly reviewDate: string;
  /**
   * What the approval allows, as last approved or changed; absent for deployments approved with
   * deployment.approved v1 (before scopes) until a clinical safety officer gives them one.
   */
  readonly scope?: DeploymentScope;
  readonly activatedBy?: Actor;
  readonly activeSites?: readonly string[];
}

/** Statuses reached through approval: the approval's facts are always present in them. */
export const APPROVED_STATUSES = ['approved', 'active', 'suspended', 'revoked', 'expired'] as const;

export type UnapprovedDeployment = DeploymentFacts & { readonly status: 'requested' | 'rejected' };
export type ApprovedDeployment = DeploymentFacts & ApprovalFacts & { readonly status: (typeof APPROVED_STATUSES)[number] };
export type Deployment = UnapprovedDeployment | ApprovedDeployment;

export type DeploymentState = { readonly status: 'none' } | Deployment;

export function isApproved(deployment: Deployment): deployment is ApprovedDeployment {
  return (APPROVED_STATUSES as readonly string[]).includes(deployment.status);
}
