import { InstructionGivenV1 } from '@aal/contracts';
import { Type } from '@sinclair/typebox';
import { Occurrence, strict } from '../../usage/http/usage.requests';

/** `outputId` and `caseRef` are each optional, but the domain requires at least one of them. */
export const GiveInstructionRequest = Type.Composite(
  [Type.Pick(InstructionGivenV1.schema, ['instructor', 'professionalId', 'kind', 'outputId', 'caseRef', 'note']), Occurrence],
  strict,
);
