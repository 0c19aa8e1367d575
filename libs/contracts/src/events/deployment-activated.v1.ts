import { Type } from '@sinclair/typebox';
import { SiteName } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { deploymentTransitionProperties } from './deployment-transition';

export const DeploymentActivatedV1 = defineEvent({
  name: 'deployment.activated',
  version: 1,
  producer: 'deployment-approval',
  description: 'The employer put an approved deployment live at the listed sites, with effect from `effectiveAt`.',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object(
    { ...deploymentTransitionProperties, sites: Type.Array(SiteName, { minItems: 1, maxItems: 200, uniqueItems: true }) },
    { additionalProperties: false },
  ),
});
