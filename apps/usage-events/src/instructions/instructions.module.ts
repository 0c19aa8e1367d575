import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { InstructionsController } from './http/instructions.controller';

/** Instructions naming an output are decided by the output's aggregate (see report-requests.ts). */
@Module({
  imports: [ReportsModule],
  controllers: [InstructionsController],
})
export class InstructionsModule {}
