import { Type } from '@sinclair/typebox';
import { Actor, Digest, Id, OrganisationId, SemVer, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const ModelVersionReleasedV1 = defineEvent({
  name: 'model.version.released',
  version: 1,
  producer: 'model-registry',
  description: 'A vendor released a version of a model; its digest and content never change afterwards.',
  subjectOf: (d) => subjectOf('model', d.modelId),
  schema: Type.Object(
    {
      modelId: Id,
      versionId: Id,
      vendorId: OrganisationId,
      version: SemVer,
      artifactDigest: Digest,
      intendedUse: Text(4000),
      contraindications: Type.Array(Text(1000), { maxItems: 100 }),
      knownLimitations: Type.Array(Text(1000), { maxItems: 100 }),
      evidenceRefs: Type.Array(Text(500), { maxItems: 100 }),
      hazardLogRef: Type.Optional(Text(500)),
      instructionsForUseVersion: Type.Optional(Text(100)),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
