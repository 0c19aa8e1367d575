import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { OutputId } from './output-generated.v1';

export const IncidentReportedV1 = defineEvent({
  name: 'incident.reported',
  version: 1,
  producer: 'usage-events',
  description: 'An incident involving one or more outputs was reported; the harm itself is described elsewhere, by reference.',
  subjectOf: (d) => subjectOf('incident', d.incidentId),
  schema: Type.Object(
    {
      incidentId: Id,
      organisationId: OrganisationId,
      outputIds: Type.Array(OutputId, { minItems: 1, maxItems: 1000, uniqueItems: true }),
      harmReference: Text(500, 'Reference into the local incident system (e.g. a LFPSE id), never a narrative with identifiers.'),
      severity: Type.Optional(Type.Union(['no-harm', 'low', 'moderate', 'severe', 'death'].map((s) => Type.Literal(s)))),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
