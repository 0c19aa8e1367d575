import { Module } from '@nestjs/common';
import { UsageModule } from '../usage/usage.module';
import { InstructionsController } from './http/instructions.controller';

/** Instructions naming an output are decided by the output's aggregate (see report-requests.ts). */
@Module({
  imports: [UsageModule],
  controllers: [InstructionsController],
})
export class InstructionsModule {}
