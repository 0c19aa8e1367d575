import { Type } from '@sinclair/typebox';
import { Actor, CalendarDate, Id, OrganisationId, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const DeploymentReviewedV1 = defineEvent({
  name: 'deployment.reviewed',
  version: 1,
  producer: 'deployment-approval',
  description:
    'The employer reviewed a deployment as its approval required and set the next review date; outputs after a review date need such a review first.',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object(
    {
      deploymentId: Id,
      employerId: OrganisationId,
      summary: Text(4000),
      hazardLogRef: Type.Optional(Text(500)),
      nextReviewDate: CalendarDate,
      effectiveAt: Timestamp,
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
