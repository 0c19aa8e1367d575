import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const ModelVersionWithdrawnV1 = defineEvent({
  name: 'model.version.withdrawn',
  version: 1,
  producer: 'model-registry',
  description: 'A vendor withdrew a model version from use; it can never be released again.',
  subjectOf: (d) => subjectOf('model', d.modelId),
  schema: Type.Object(
    {
      modelId: Id,
      versionId: Id,
      vendorId: OrganisationId,
      reason: Text(4000),
      effectiveAt: Timestamp,
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
