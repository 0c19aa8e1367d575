import { Type } from '@sinclair/typebox';
import { Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { deploymentTransitionProperties } from './deployment-transition';

export const DeploymentSuspendedV1 = defineEvent({
  name: 'deployment.suspended',
  version: 1,
  producer: 'deployment-approval',
  description: 'The employer suspended the deployment; outputs after `effectiveAt` come from a suspended deployment.',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object({ ...deploymentTransitionProperties, reason: Text(4000) }, { additionalProperties: false }),
});
