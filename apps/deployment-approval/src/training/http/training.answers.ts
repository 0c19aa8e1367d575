import { Actor, CloudEventSchema, TrainingRecordedV1 } from '@aal/contracts';
import { Type } from '@sinclair/typebox';

/** What the training-record routes answer (training.queries.ts): the recorded facts, who recorded them, the revision. */
const { actor: _actor, ...recorded } = TrainingRecordedV1.schema.properties;
const facts = { status: Type.Literal('recorded'), ...recorded, recordedBy: Actor, revision: Type.Integer({ minimum: 1 }) };

const example = {
  status: 'recorded',
  trainingId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
  employerId: 'st-marys-trust',
  professionalId: 'nurse-12',
  deploymentId: '5a1c3e2f-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
  course: 'SepsisWatch for ward nurses',
  completedAt: '2026-02-20T12:00:00.000Z',
  recordedBy: { organisationId: 'st-marys-trust', personId: 'admin-3', role: 'employer-admin' },
  revision: 1,
};

export const TrainingRecordAnswer = Type.Object(
  { ...facts, history: Type.Array(CloudEventSchema) },
  { additionalProperties: false, description: 'The training record with its event history.', examples: [{ ...example, history: [] }] },
);

export const TrainingListAnswer = Type.Object(
  { items: Type.Array(Type.Object(facts, { additionalProperties: false })), limit: Type.Integer(), offset: Type.Integer() },
  { additionalProperties: false, description: 'A page of training records.', examples: [{ items: [example], limit: 50, offset: 0 }] },
);
