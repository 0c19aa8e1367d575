import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ExecuteInstructionCommandHandler } from './application/execute-instruction-command.handler';
import { InstructionsController } from './http/instructions.controller';

/** Instructions naming an output are handled by OutputsModule's handler, through the shared command bus. */
@Module({
  imports: [CqrsModule],
  controllers: [InstructionsController],
  providers: [ExecuteInstructionCommandHandler],
})
export class InstructionsModule {}
