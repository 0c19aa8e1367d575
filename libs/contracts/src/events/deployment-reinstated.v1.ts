import { Type } from '@sinclair/typebox';
import { Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { deploymentTransitionProperties } from './deployment-transition';

export const DeploymentReinstatedV1 = defineEvent({
  name: 'deployment.reinstated',
  version: 1,
  producer: 'deployment-approval',
  description: 'The employer reinstated a suspended deployment, with effect from `effectiveAt`.',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object({ ...deploymentTransitionProperties, reason: Text(4000) }, { additionalProperties: false }),
});
