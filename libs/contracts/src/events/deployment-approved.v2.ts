import { Type, type Static } from '@sinclair/typebox';
import { RoleName, SiteName, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { AgeBands, ContraindicationCodes } from '../population';
import { subjectOf } from '../subjects';
import { DeploymentApprovedV1 } from './deployment-approved.v1';

export const USES = ['advisory', 'mandatory'] as const;
export const Use = Type.Union(
  USES.map((u) => Type.Literal(u)),
  { description: 'advisory: professionals may use it; mandatory: they are told to.' },
);

/**
 * What an approval allows, machine-checkably: where, in which services, by which roles, for which
 * patients, how, and (with the approval's `reviewDate`) until when. Outputs and later decisions
 * are checked against it; changing it takes a recorded `deployment.scope-changed`.
 */
export const DeploymentScope = Type.Object(
  {
    sites: Type.Array(SiteName, { minItems: 1, maxItems: 200, uniqueItems: true }),
    services: Type.Array(Text(200), { minItems: 1, maxItems: 200, uniqueItems: true }),
    roles: Type.Array(RoleName, { minItems: 1, maxItems: 100, uniqueItems: true }),
    population: Type.Object(
      { ageBands: AgeBands, excludedContraindicationCodes: ContraindicationCodes },
      { additionalProperties: false, description: 'Patients it may be used for: these age bands, none with these contraindications.' },
    ),
    uses: Type.Array(Use, { minItems: 1, maxItems: 2, uniqueItems: true }),
  },
  { additionalProperties: false, description: 'The approved scope: sites, services, roles, population and use.' },
);
export type DeploymentScope = Static<typeof DeploymentScope>;

/**
 * Version 2 adds the machine-checkable scope (issue #14); the free-text conditions stay beside it.
 * v1 stays in the catalogue: deployments approved before have no scope to check against.
 */
export const DeploymentApprovedV2 = defineEvent({
  name: 'deployment.approved',
  version: 2,
  producer: 'deployment-approval',
  description:
    'The employer approved a requested deployment within a machine-checkable scope until its review date; the actor is the approver (e.g. its clinical safety officer).',
  subjectOf: (d) => subjectOf('deployment', d.deploymentId),
  schema: Type.Object({ ...DeploymentApprovedV1.schema.properties, scope: DeploymentScope }, { additionalProperties: false }),
});
