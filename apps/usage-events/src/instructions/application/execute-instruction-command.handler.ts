import { AggregateStore, runDecider, type DeciderRun } from '@aal/service-kit';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { instructionDecider } from '../domain/instruction.decider';
import type { InstructionCommand, InstructionEvent, InstructionState } from '../domain/instruction.types';

export const INSTRUCTION_AGGREGATE = 'instruction';

type InstructionRun = DeciderRun<InstructionState, InstructionEvent>;

/** An instruction about a case only; one naming an output goes through ExecuteOutputCommand. */
export class ExecuteInstructionCommand extends Command<InstructionRun> {
  constructor(readonly command: InstructionCommand) {
    super();
  }
}

@CommandHandler(ExecuteInstructionCommand)
export class ExecuteInstructionCommandHandler implements ICommandHandler<ExecuteInstructionCommand, InstructionRun> {
  constructor(private readonly store: AggregateStore) {}

  execute({ command }: ExecuteInstructionCommand): Promise<InstructionRun> {
    const { instructionId, organisationId } = command.facts;
    return runDecider(
      this.store,
      instructionDecider,
      { type: INSTRUCTION_AGGREGATE, id: instructionId, organisationId, time: command.occurredAt },
      command,
    );
  }
}
