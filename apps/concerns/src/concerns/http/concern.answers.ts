import { CloudEventSchema } from '@aal/contracts';
import type { AnswerOf } from '@aal/http';
import { Type } from '@sinclair/typebox';

/**
 * What the concern routes answer (handlers' return types and the OpenAPI document). The members
 * callers rely on are stated; the rest of the concern's state is allowed beside them for now.
 */
export const ConcernAnswer = Type.Object(
  {
    concernId: Type.String({ format: 'uuid' }),
    status: Type.String(),
    intakeOrganisationId: Type.String(),
    acknowledgeBy: Type.String({ format: 'date-time', description: 'When every addressee must have acknowledged it.' }),
    answerBy: Type.String({ format: 'date-time', description: 'When every addressee must have answered it.' }),
    revision: Type.Integer({ minimum: 1 }),
    history: Type.Optional(Type.Array(CloudEventSchema)),
  },
  { additionalProperties: true, description: 'The concern as it stands.' },
);
export type ConcernAnswer = AnswerOf<typeof ConcernAnswer>;

export const RaisedConcernAnswer = Type.Composite(
  [
    ConcernAnswer,
    Type.Object({
      receipt: Type.Object(
        { code: Type.String(), url: Type.String({ description: 'The capability URL of the receipt page (path on this service).' }) },
        { description: 'Shown only this once: whoever raised the concern follows it with this.' },
      ),
    }),
  ],
  { additionalProperties: true, description: 'The concern taken in, with its receipt.' },
);
export type RaisedConcernAnswer = AnswerOf<typeof RaisedConcernAnswer>;

const at = Type.String({ format: 'date-time' });

/** What the public receipt page answers (receiptView): closed, since it must show nothing else. */
export const ReceiptAnswer = Type.Object(
  {
    status: Type.String(),
    category: Type.String(),
    severity: Type.String(),
    raisedAt: at,
    acknowledgeBy: at,
    answerBy: at,
    addressees: Type.Array(
      Type.Object(
        {
          party: Type.String(),
          acknowledgedAt: Type.Optional(at),
          answeredAt: Type.Optional(at),
          answer: Type.Optional(Type.String({ description: 'The kind of answer only.' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: "Where the receipt's concern stands.",
    examples: [
      {
        status: 'acknowledged',
        category: 'unsafe-output',
        severity: 'serious',
        raisedAt: '2026-03-01T10:00:00.000Z',
        acknowledgeBy: '2026-03-03T10:00:00.000Z',
        answerBy: '2026-03-31T10:00:00.000Z',
        addressees: [{ party: 'vendor', acknowledgedAt: '2026-03-01T15:00:00.000Z' }],
      },
    ],
  },
);
