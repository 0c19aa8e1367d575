import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ExecuteModelCommandHandler } from './application/execute-model-command.handler';
import { ModelQueries } from './application/model.queries';
import { ModelsController } from './http/models.controller';

@Module({
  imports: [CqrsModule],
  controllers: [ModelsController],
  providers: [ExecuteModelCommandHandler, ModelQueries],
})
export class ModelsModule {}
