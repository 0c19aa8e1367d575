import { assertNotInFuture } from '../../usage/domain/occurred-at.rule';
import { assertPseudonymous } from '../../usage/domain/pseudonym.rule';
import { instructionErrors } from './instruction.errors';
import type { GiveInstruction, InstructionGivenEvent, InstructionRecord } from './instruction.types';

/**
 * The rules every instruction obeys, whichever aggregate records it (the output it is about, or
 * its own when it concerns a case only). Returns the event to record.
 */
export function instructionGiven(command: GiveInstruction): InstructionGivenEvent {
  const { facts } = command;
  assertPseudonymous({ '/instructor/personId': facts.instructor.personId, '/professionalId': facts.professionalId });
  assertNotInFuture(command);
  if (facts.outputId === undefined && facts.caseRef === undefined) throw instructionErrors.targetRequired();
  return { name: 'instruction.given', data: facts, occurredAt: command.occurredAt };
}

export function instructionRecord(event: InstructionGivenEvent): InstructionRecord {
  const { actor, ...facts } = event.data;
  return { ...facts, occurredAt: event.occurredAt, givenBy: actor };
}
