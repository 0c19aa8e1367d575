import { Module } from '@nestjs/common';
import { UsageWrites } from './application/usage-writes';
import { RouteBodyParsers } from './http/route-body-parsers';

/** The write path every usage-events endpoint shares, and the per-route body parsers. */
@Module({
  providers: [UsageWrites, RouteBodyParsers],
  exports: [UsageWrites],
})
export class UsageModule {}
