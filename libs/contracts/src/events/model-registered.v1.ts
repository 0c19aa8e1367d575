import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Pseudonym, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const RiskClass = Type.Union(
  ['uk-mdr-class-i', 'uk-mdr-class-iia', 'uk-mdr-class-iib', 'uk-mdr-class-iii', 'not-a-medical-device'].map((c) => Type.Literal(c)),
  { description: 'Medical device risk class claimed by the manufacturer.' },
);

export const ModelRegisteredV1 = defineEvent({
  name: 'model.registered',
  version: 1,
  producer: 'model-registry',
  description: 'A vendor registered an AI model and its intended purpose.',
  subjectOf: (d) => subjectOf('model', d.modelId),
  schema: Type.Object(
    {
      modelId: Id,
      vendorId: OrganisationId,
      name: Text(200),
      intendedPurpose: Text(4000),
      riskClass: RiskClass,
      manufacturerSafetyOfficer: Pseudonym,
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
