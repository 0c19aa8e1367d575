import { Type } from '@sinclair/typebox';

/** What POST /batches answers: one line per item, in order. */
export const BatchAnswer = Type.Object(
  {
    accepted: Type.Integer({ minimum: 1, description: 'How many reports were recorded (all of them).' }),
    items: Type.Array(
      Type.Object(
        {
          index: Type.Integer({ minimum: 0 }),
          kind: Type.String({ description: 'The item’s kind, as sent.' }),
          subject: Type.String({ description: 'The CloudEvent subject the report was recorded under.' }),
          eventIds: Type.Array(Type.String(), { description: 'The events it recorded (none for a harmless repeat).' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'The batch recorded.',
    examples: [
      {
        accepted: 1,
        items: [
          { index: 0, kind: 'output.generated', subject: 'output/out-2026-000042', eventIds: ['8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f'] },
        ],
      },
    ],
  },
);
