import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DirectoryModule } from '../directory/directory.module';
import { ConcernQueries } from './application/concern.queries';
import { RaiseConcernHandler, RespondToConcernHandler } from './application/execute-concern-command.handler';
import { ConcernsController } from './http/concerns.controller';

@Module({
  imports: [CqrsModule, DirectoryModule],
  controllers: [ConcernsController],
  providers: [RaiseConcernHandler, RespondToConcernHandler, ConcernQueries],
})
export class ConcernsModule {}
