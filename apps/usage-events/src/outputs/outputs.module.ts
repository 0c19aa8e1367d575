import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { OutputQueries } from './application/output.queries';
import { OutputsController } from './http/outputs.controller';

@Module({
  imports: [ReportsModule],
  controllers: [OutputsController],
  providers: [OutputQueries],
})
export class OutputsModule {}
