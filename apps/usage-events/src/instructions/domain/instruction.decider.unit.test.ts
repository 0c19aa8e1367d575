import { deciderSpec } from '@aal/testing/unit';
import { at, clinicalSystem, nurse, registrar } from '../../testing/usage.factories';
import { instructionDecider } from './instruction.decider';
import type { InstructionCommand, InstructionEvent, InstructionFacts } from './instruction.types';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const { given } = deciderSpec(instructionDecider);

const facts: InstructionFacts & { outputId?: undefined } = {
  instructionId: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a',
  organisationId: clinicalSystem.organisationId,
  instructor: registrar,
  professionalId: nurse.personId,
  kind: 'use-ai',
  caseRef: 'case-2025-0042',
  note: 'Use the sepsis screen for every new admission on ward 7 tonight.',
  actor: clinicalSystem,
};
const instruct = (overrides: Partial<InstructionCommand['facts']> = {}, occurredAt = at(NOW, -30)): InstructionCommand => ({
  kind: 'GiveInstruction',
  facts: { ...facts, ...overrides },
  occurredAt,
  receivedAt: at(NOW),
});
const givenEvent: InstructionEvent = { name: 'instruction.given', data: facts, occurredAt: at(NOW, -30) };

describe('instruction decider (instructions about a case)', () => {
  it('records an instruction about a case', () => {
    given().when(instruct()).then([givenEvent]);
  });

  it('refuses an instruction that names neither an output nor a case, pointing at both fields', () => {
    const { caseRef: _none, ...withoutCase } = facts;
    const refusal = given()
      .when({ kind: 'GiveInstruction', facts: withoutCase, occurredAt: at(NOW, -30), receivedAt: at(NOW) })
      .thenRefuses('INSTRUCTION.TARGET_REQUIRED');
    expect(refusal.kind).toBe('invalid');
    expect(refusal.context['errors']).toEqual([
      expect.objectContaining({ pointer: '/outputId' }),
      expect.objectContaining({ pointer: '/caseRef' }),
    ]);
  });

  it('refuses NHS-number-like pseudonyms for the instructor and the professional, naming both', () => {
    const refusal = given()
      .when(instruct({ instructor: { personId: 'psn_4010232137', role: 'registrar' }, professionalId: 'psn_nhs9434765919' }))
      .thenRefuses('USAGE.IDENTIFIER_IN_PSEUDONYM');
    expect(refusal.context['errors']).toEqual([
      expect.objectContaining({ pointer: '/instructor/personId' }),
      expect.objectContaining({ pointer: '/professionalId' }),
    ]);
  });

  it('refuses an instruction dated more than 5 minutes ahead of the service clock', () => {
    given()
      .when(instruct({}, at(NOW, 10)))
      .thenRefuses('USAGE.OCCURRED_IN_FUTURE');
  });

  it('refuses to record the same instruction twice', () => {
    given(givenEvent).when(instruct()).thenRefuses('INSTRUCTION.ALREADY_GIVEN');
  });

  it('refuses, as a programming error, an instruction about an output: that belongs to the output aggregate', () => {
    const misrouted = { ...instruct(), facts: { ...facts, outputId: 'out-sepsis-0001' } } as unknown as InstructionCommand;
    expect(() => instructionDecider.decide(misrouted, instructionDecider.initialState)).toThrow('belongs to the output aggregate');
  });

  it('evolves into the instruction as reported, with who reported it', () => {
    expect(given(givenEvent).state).toEqual({
      status: 'given',
      instructionId: facts.instructionId,
      organisationId: clinicalSystem.organisationId,
      instructor: registrar,
      professionalId: nurse.personId,
      kind: 'use-ai',
      caseRef: 'case-2025-0042',
      note: facts.note,
      occurredAt: at(NOW, -30),
      givenBy: clinicalSystem,
    });
  });
});
