import { TrainingRecordedV1 } from '@aal/contracts';
import { Type } from '@sinclair/typebox';

/** Request bodies are cut from the event schemas, so the API and the events cannot drift. */
const strict = { additionalProperties: false } as const;

export const RecordTrainingRequest = Type.Pick(
  TrainingRecordedV1.schema,
  ['professionalId', 'deploymentId', 'course', 'completedAt', 'expiresAt'],
  strict,
);

export const IdParam = Type.String({ format: 'uuid' });

export const ListTrainingQuery = Type.Object(
  {
    professionalId: Type.Optional(TrainingRecordedV1.schema.properties.professionalId),
    employerId: Type.Optional(TrainingRecordedV1.schema.properties.employerId),
    deploymentId: Type.Optional(TrainingRecordedV1.schema.properties.deploymentId),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$', description: '1-100, default 50' })),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
  },
  strict,
);
