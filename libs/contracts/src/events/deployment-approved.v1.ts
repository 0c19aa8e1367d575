import { Type } from '@sinclair/typebox';
import { Actor, CalendarDate, Id, OrganisationId, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const DeploymentApprovedV1 = defineEvent({
  name: 'deployment.approved',
  version: 1,
  producer: 'deployment-approval',
  description: 'The employer approved a requested deployment; the actor is the approver (e.g. its clinical safety officer).',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object(
    {
      deploymentId: Id,
      employerId: OrganisationId,
      conditions: Type.Array(Text(2000), { maxItems: 100 }),
      hazardLogRef: Text(500),
      reviewDate: CalendarDate,
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
