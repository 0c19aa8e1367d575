import { Module } from '@nestjs/common';
import { UsageModule } from '../usage/usage.module';
import { BatchesController } from './http/batches.controller';

@Module({
  imports: [UsageModule],
  controllers: [BatchesController],
})
export class BatchesModule {}
