import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, RoleName, SiteName, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const UsagePolicyIssuedV1 = defineEvent({
  name: 'usage-policy.issued',
  version: 1,
  producer: 'deployment-approval',
  description: 'The employer issued a policy saying how professionals must use a deployment.',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object(
    {
      policyId: Id,
      deploymentId: Id,
      employerId: OrganisationId,
      use: Type.Union([Type.Literal('mandatory'), Type.Literal('advisory')]),
      roles: Type.Array(RoleName, { minItems: 1, maxItems: 100, uniqueItems: true }),
      sites: Type.Array(SiteName, { minItems: 1, maxItems: 200, uniqueItems: true }),
      humanReviewRequired: Type.Boolean(),
      minimumReviewSeconds: Type.Integer({ minimum: 0, maximum: 86400 }),
      effectiveFrom: Timestamp,
      effectiveUntil: Type.Optional(Timestamp),
      summary: Type.Optional(Text(4000)),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
