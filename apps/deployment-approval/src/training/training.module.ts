import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ExecuteTrainingCommandHandler } from './application/execute-training-command.handler';
import { TrainingQueries } from './application/training.queries';
import { TrainingRecordsController } from './http/training-records.controller';
import { TrainingRecordSearch } from './infrastructure/training-record.search';

@Module({
  imports: [CqrsModule],
  controllers: [TrainingRecordsController],
  providers: [ExecuteTrainingCommandHandler, TrainingQueries, TrainingRecordSearch],
})
export class TrainingModule {}
