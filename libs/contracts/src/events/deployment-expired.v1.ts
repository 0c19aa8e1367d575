import { Type } from '@sinclair/typebox';
import { CalendarDate } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { deploymentTransitionProperties } from './deployment-transition';

export const DeploymentExpiredV1 = defineEvent({
  name: 'deployment.expired',
  version: 1,
  producer: 'deployment-approval',
  description: 'The deployment reached its review date without renewal and stopped being approved.',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object({ ...deploymentTransitionProperties, reviewDate: CalendarDate }, { additionalProperties: false }),
});
