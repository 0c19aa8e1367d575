import {
  DeploymentActivatedV1,
  DeploymentApprovedV2,
  DeploymentReinstatedV1,
  DeploymentRejectedV1,
  DeploymentRequestedV1,
  DeploymentReviewedV1,
  DeploymentRevokedV1,
  DeploymentScopeChangedV1,
  DeploymentSuspendedV1,
  Timestamp,
  UsagePolicyIssuedV1,
} from '@aal/contracts';
import { Type } from '@sinclair/typebox';

/** Request bodies are cut from the event schemas, so the API and the events cannot drift. */
const strict = { additionalProperties: false } as const;

export const RequestDeploymentRequest = Type.Pick(DeploymentRequestedV1.schema, ['modelId', 'versionId', 'setting', 'intendedUse'], strict);

/** The scope is required: an approval says machine-checkably what it allows (deployment.approved v2). */
export const ApproveDeploymentRequest = Type.Pick(
  DeploymentApprovedV2.schema,
  ['conditions', 'hazardLogRef', 'reviewDate', 'scope'],
  strict,
);

export const RejectDeploymentRequest = Type.Pick(DeploymentRejectedV1.schema, ['reason'], strict);

/** `effectiveAt` may be back- or forward-dated by the caller; it defaults to now. */
export const ActivateDeploymentRequest = Type.Object(
  { sites: DeploymentActivatedV1.schema.properties.sites, effectiveAt: Type.Optional(Timestamp) },
  strict,
);

export const SuspendDeploymentRequest = Type.Object(
  { reason: DeploymentSuspendedV1.schema.properties.reason, effectiveAt: Type.Optional(Timestamp) },
  strict,
);

export const ReinstateDeploymentRequest = Type.Object(
  { reason: DeploymentReinstatedV1.schema.properties.reason, effectiveAt: Type.Optional(Timestamp) },
  strict,
);

export const RevokeDeploymentRequest = Type.Object(
  { reason: DeploymentRevokedV1.schema.properties.reason, effectiveAt: Type.Optional(Timestamp) },
  strict,
);

/** Expiry takes effect now and needs no input: the review date is already on the deployment. */
export const ExpireDeploymentRequest = Type.Object({}, strict);

export const IssueUsagePolicyRequest = Type.Pick(
  UsagePolicyIssuedV1.schema,
  ['use', 'roles', 'sites', 'humanReviewRequired', 'minimumReviewSeconds', 'effectiveFrom', 'effectiveUntil', 'summary'],
  strict,
);

/** The new scope and the review date it holds until, and why; `effectiveAt` defaults to now. */
export const ChangeDeploymentScopeRequest = Type.Object(
  {
    ...Type.Pick(DeploymentScopeChangedV1.schema, ['scope', 'reviewDate', 'reason', 'hazardLogRef']).properties,
    effectiveAt: Type.Optional(Timestamp),
  },
  strict,
);

/** A renewed review and the next review date; `effectiveAt` defaults to now. */
export const ReviewDeploymentRequest = Type.Object(
  {
    ...Type.Pick(DeploymentReviewedV1.schema, ['summary', 'hazardLogRef', 'nextReviewDate']).properties,
    effectiveAt: Type.Optional(Timestamp),
  },
  strict,
);

export const IdParam = Type.String({ format: 'uuid' });

export const ListQuery = Type.Object(
  {
    employerId: Type.Optional(DeploymentRequestedV1.schema.properties.employerId),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$', description: '1-100, default 50' })),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
  },
  strict,
);
