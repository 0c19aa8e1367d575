import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { BatchesController } from './http/batches.controller';

@Module({
  imports: [ReportsModule],
  controllers: [BatchesController],
})
export class BatchesModule {}
