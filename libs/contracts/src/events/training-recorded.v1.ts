import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Pseudonym, Text, Timestamp } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';

export const TrainingRecordedV1 = defineEvent({
  name: 'training.recorded',
  version: 1,
  producer: 'deployment-approval',
  description: 'The employer recorded that a professional completed training for a deployment.',
  subjectOf: (d) => subjectOf('training', d.trainingId),
  schema: Type.Object(
    {
      trainingId: Id,
      employerId: OrganisationId,
      professionalId: Pseudonym,
      deploymentId: Id,
      course: Text(500),
      completedAt: Timestamp,
      expiresAt: Type.Optional(Timestamp),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
