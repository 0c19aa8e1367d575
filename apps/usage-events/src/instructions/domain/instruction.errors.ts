import { DomainError } from '@aal/domain';

export const instructionErrors = {
  targetRequired: () =>
    new DomainError(
      'INSTRUCTION.TARGET_REQUIRED',
      'invalid',
      'an instruction must name the output (outputId) or the case (caseRef) it is about, or both; neither was given',
      {
        errors: [
          { pointer: '/outputId', rule: 'one-of-required', detail: '/outputId or /caseRef is required' },
          { pointer: '/caseRef', rule: 'one-of-required', detail: '/outputId or /caseRef is required' },
        ],
      },
    ),
  alreadyGiven: (instructionId: string) =>
    new DomainError('INSTRUCTION.ALREADY_GIVEN', 'conflict', `instruction ${instructionId} was already recorded`, { instructionId }),
};
