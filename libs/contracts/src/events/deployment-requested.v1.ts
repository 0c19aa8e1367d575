import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, RoleName, SiteName, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const DeploymentSetting = Type.Object(
  {
    sites: Type.Array(SiteName, { minItems: 1, maxItems: 200, uniqueItems: true }),
    services: Type.Array(Text(200), { maxItems: 200 }),
    roles: Type.Array(RoleName, { minItems: 1, maxItems: 100, uniqueItems: true }),
  },
  { additionalProperties: false, description: 'Where and by whom the model may be used.' },
);

export const DeploymentRequestedV1 = defineEvent({
  name: 'deployment.requested',
  version: 1,
  producer: 'deployment-approval',
  description: 'An employer requested to deploy a model version in a setting.',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object(
    {
      deploymentId: Id,
      employerId: OrganisationId,
      modelId: Id,
      versionId: Id,
      setting: DeploymentSetting,
      intendedUse: Text(4000),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
