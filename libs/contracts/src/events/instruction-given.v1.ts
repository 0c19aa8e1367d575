import { Type } from '@sinclair/typebox';
import { Actor, Id, OrganisationId, Professional, Pseudonym, Text } from '../common.schema';
import { defineEvent } from '../event-definition';
import { subjectOf } from '../subjects';
import { OutputId } from './output-generated.v1';

export const InstructionGivenV1 = defineEvent({
  name: 'instruction.given',
  version: 1,
  producer: 'usage-events',
  description: 'Someone (e.g. a supervisor) instructed a professional to use, or to follow, the AI for an output or a case.',
  subjectOf: (d) => (d.outputId ? subjectOf('output', d.outputId) : subjectOf('instruction', d.instructionId)),
  schema: Type.Object(
    {
      instructionId: Id,
      organisationId: OrganisationId,
      instructor: Professional,
      professionalId: Pseudonym,
      kind: Type.Union([Type.Literal('use-ai'), Type.Literal('follow-ai'), Type.Literal('do-not-use-ai')]),
      outputId: Type.Optional(OutputId),
      caseRef: Type.Optional(Text(200)),
      note: Type.Optional(Text(2000)),
      actor: Actor,
    },
    { additionalProperties: false },
  ),
});
