import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const DeploymentRejectedV1 = defineEvent({
  name: 'deployment.rejected',
  version: 1,
  producer: 'deployment-approval',
  description: 'The employer rejected a requested deployment.',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object({ deploymentId: Id, employerId: OrganisationId, reason: Text(4000), actor: Actor }, { additionalProperties: false }),
});
