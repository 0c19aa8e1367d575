import { Module } from '@nestjs/common';
import { UsageModule } from '../usage/usage.module';
import { OutputQueries } from './application/output.queries';
import { OutputsController } from './http/outputs.controller';

@Module({
  imports: [UsageModule],
  controllers: [OutputsController],
  providers: [OutputQueries],
})
export class OutputsModule {}
