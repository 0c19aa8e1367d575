import { Actor, InstructionGivenV1 } from '@aal/contracts';
import { Type } from '@sinclair/typebox';

/** An instruction as the API shows it (instructionRecord): its facts, when, and who reported it. */
const { actor: _actor, ...given } = InstructionGivenV1.schema.properties;
export const InstructionAnswerFacts = {
  ...given,
  occurredAt: Type.String({ format: 'date-time' }),
  /** Who reported the instruction (the caller), as opposed to the instructor. */
  givenBy: Actor,
};

/** What POST /instructions answers. */
export const InstructionAnswer = Type.Object(
  {
    ...InstructionAnswerFacts,
    subject: Type.String({ description: 'The CloudEvent subject it was recorded under (the output, or the instruction).' }),
  },
  {
    additionalProperties: false,
    description: 'The instruction recorded.',
    examples: [
      {
        instructionId: '3f6b2a1c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
        organisationId: 'st-marys-trust',
        instructor: { personId: 'sup-1', role: 'consultant' },
        professionalId: 'nurse-12',
        kind: 'follow-ai',
        outputId: 'out-2026-000042',
        occurredAt: '2026-03-01T09:05:00.000Z',
        givenBy: { organisationId: 'st-marys-trust', personId: 'ward-system', role: 'clinical-system' },
        subject: 'output/out-2026-000042',
      },
    ],
  },
);
