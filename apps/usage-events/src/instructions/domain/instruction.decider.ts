import { assertNever, type Decider } from '@aal/domain';
import { instructionGiven, instructionRecord } from './instruction-given';
import { instructionErrors } from './instruction.errors';
import type { InstructionCommand, InstructionEvent, InstructionState } from './instruction.types';

/** An instruction about a case (no output named): recorded once, never changed. */
export const instructionDecider: Decider<InstructionCommand, InstructionState, InstructionEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    switch (command.kind) {
      case 'GiveInstruction': {
        // Recorded here, an instruction about an output would reach Kafka out of order with that
        // output's own events; the types forbid it and this guards the routing at run time.
        if (command.facts.outputId !== undefined) throw new Error('an instruction about an output belongs to the output aggregate');
        const event = instructionGiven(command);
        if (state.status === 'given') throw instructionErrors.alreadyGiven(command.facts.instructionId);
        return [event];
      }
      default:
        return assertNever(command.kind);
    }
  },

  evolve(_state, event) {
    switch (event.name) {
      case 'instruction.given':
        return { status: 'given', ...instructionRecord(event) };
      default:
        return assertNever(event.name);
    }
  },
};
