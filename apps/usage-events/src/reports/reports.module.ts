import { Module } from '@nestjs/common';
import { UsageWrites } from './application/usage-writes';

/** The write path every usage-events endpoint shares. */
@Module({
  providers: [UsageWrites],
  exports: [UsageWrites],
})
export class ReportsModule {}
