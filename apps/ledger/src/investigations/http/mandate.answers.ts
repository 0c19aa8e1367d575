import { Type } from '@sinclair/typebox';

/** What the mandate routes answer (OpenAPI); members beyond the id and status allowed for now. */
export const MandateAnswer = Type.Object(
  { mandateId: Type.String({ format: 'uuid' }), status: Type.String() },
  { additionalProperties: true, description: 'The investigation mandate as it stands.' },
);

export const MandateListAnswer = Type.Object(
  { mandates: Type.Array(MandateAnswer) },
  { additionalProperties: false, description: 'The mandates the caller may see.' },
);
