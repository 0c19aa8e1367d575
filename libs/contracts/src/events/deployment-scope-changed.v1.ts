import { Type } from '@sinclair/typebox';
import { Actor, CalendarDate, Id, OrganisationId, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { DeploymentScope } from './deployment-approved.v2';

export const DeploymentScopeChangedV1 = defineEvent({
  name: 'deployment.scope-changed',
  version: 1,
  producer: 'deployment-approval',
  description:
    "A clinical safety officer changed an approved deployment's scope (and possibly its review date), saying why; the new scope holds from `effectiveAt`.",
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object(
    {
      deploymentId: Id,
      employerId: OrganisationId,
      scope: DeploymentScope,
      reviewDate: CalendarDate,
      reason: Text(4000),
      hazardLogRef: Type.Optional(Text(500)),
      effectiveAt: Timestamp,
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
