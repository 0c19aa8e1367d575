import { Type, type Static } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { IncidentClassification } from '../reporting-rules';
import { subjectOf } from '../subjects';
import { OutputId } from './output-generated.v1';

/** The deployment an incident arose in, as the incidents service resolved it: the deployer and the provider (vendor) of its version. */
export const IncidentAbout = Type.Object(
  { deploymentId: Id, deployerId: OrganisationId, modelId: Id, versionId: Id, vendorId: OrganisationId },
  { additionalProperties: false, description: 'The deployment, its deployer (employer), its model version and the provider (vendor).' },
);
export type IncidentAbout = Static<typeof IncidentAbout>;

/** A reference into the organisation's own records; never a narrative with identifiers. */
export const IncidentReference = Text(
  500,
  'Reference into the organisation’s own records (a report number, a portal receipt); never an identifier of a person.',
);

export const IncidentClassifiedV1 = defineEvent({
  name: 'incident.classified',
  version: 1,
  producer: 'incidents',
  description:
    'A deployer classified an incident in one of its deployments and stated when it became aware of it; the reporting deadlines follow from the rule table (docs/incidents.md). The same incident id as the clinical system’s incident.reported links the two.',
  subjectOf: (d) => subjectOf('incident', d.incidentId),
  schema: Type.Object(
    {
      incidentId: Id,
      about: IncidentAbout,
      classification: IncidentClassification,
      publicHealthThreat: Type.Boolean({ description: 'Whether the incident is a serious public health threat (MHRA: the 2-day period).' }),
      awareAt: Timestamp,
      informProviderWithinHours: Type.Integer({
        minimum: 0,
        maximum: 720,
        description:
          'Hours within which the deployer’s policy says it informs the provider ("without undue delay"), as configured when it classified.',
      }),
      outputIds: Type.Optional(Type.Array(OutputId, { minItems: 1, maxItems: 1000, uniqueItems: true })),
      harmReference: IncidentReference,
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
