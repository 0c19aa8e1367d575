import { IncidentAuthorityReportedV1, IncidentClassifiedV1, IncidentProviderAwareV1, IncidentProviderInformedV1, Id } from '@aal/contracts';
import { Type } from '@sinclair/typebox';

/** Request bodies are cut from the event schemas, so the API and the events cannot drift. */
const strict = { additionalProperties: false } as const;
const classified = IncidentClassifiedV1.schema.properties;
const madeAt = Type.Optional({
  ...IncidentProviderInformedV1.schema.properties.madeAt,
  description: 'When it was made; the time of this request when absent.',
});

export const ClassifyIncidentRequest = Type.Object(
  {
    incidentId: Type.Optional({
      ...Id,
      description:
        'The id of the clinical system’s incident.reported for the same incident, to link the two in the ledger; a new id when absent.',
    }),
    deploymentId: Id,
    classification: classified.classification,
    publicHealthThreat: Type.Optional(classified.publicHealthThreat),
    awareAt: classified.awareAt,
    outputIds: classified.outputIds,
    harmReference: classified.harmReference,
  },
  strict,
);

export const ProviderInformedRequest = Type.Object({ madeAt, reference: IncidentProviderInformedV1.schema.properties.reference }, strict);

export const ProviderAwareRequest = Type.Pick(IncidentProviderAwareV1.schema, ['awareAt'], strict);

export const AuthorityReportRequest = Type.Object(
  {
    authority: IncidentAuthorityReportedV1.schema.properties.authority,
    madeAt,
    reference: IncidentAuthorityReportedV1.schema.properties.reference,
  },
  strict,
);

export const IdParam = Type.String({ format: 'uuid' });
