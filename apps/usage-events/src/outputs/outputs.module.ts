import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ExecuteOutputCommandHandler } from './application/execute-output-command.handler';
import { OutputQueries } from './application/output.queries';
import { OutputsController } from './http/outputs.controller';

@Module({
  imports: [CqrsModule],
  controllers: [OutputsController],
  providers: [ExecuteOutputCommandHandler, OutputQueries],
})
export class OutputsModule {}
