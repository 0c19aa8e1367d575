import { CloudEventSchema } from '@aal/contracts';
import type { AnswerOf } from '@aal/http';
import { Type } from '@sinclair/typebox';

const Made = Type.Object({ madeAt: Type.String({ format: 'date-time' }), reference: Type.String() }, { additionalProperties: true });

/**
 * What the serious-incident routes answer (handlers' return types and the OpenAPI document). The
 * members callers rely on are stated; the rest of the incident's state is allowed beside them for now.
 */
export const SeriousIncidentAnswer = Type.Object(
  {
    incidentId: Type.String({ format: 'uuid' }),
    status: Type.String(),
    providerInformed: Type.Optional(Made),
    revision: Type.Integer({ minimum: 1 }),
    history: Type.Optional(Type.Array(CloudEventSchema)),
  },
  { additionalProperties: true, description: 'The serious incident as it stands.' },
);
export type SeriousIncidentAnswer = AnswerOf<typeof SeriousIncidentAnswer>;
