import { DEFAULT_OVERSIGHT_THRESHOLDS } from '@aal/accountability';
import { CLOCK, systemClock } from '@aal/service-kit';
import { Module } from '@nestjs/common';
import type { LedgerConfig } from '../config';
import { LEDGER_CONFIG } from '../ledger-config.module';
import { OVERSIGHT_THRESHOLDS, OversightQuery } from './application/oversight.query';
import { OversightProjector } from './application/oversight.projector';
import { OversightController } from './http/oversight.controller';

/**
 * Time to check, per deployment (issue #14): the oversight projection, the query over it with its
 * deployment-level findings, and the employer's and auditors' route. Exports the query (cases
 * answer it for their investigators, and accountability answers carry an output's week from it)
 * and the projector, whose health readiness reads.
 */
@Module({
  controllers: [OversightController],
  providers: [
    {
      provide: OVERSIGHT_THRESHOLDS,
      useFactory: (config: LedgerConfig) => config.oversight ?? DEFAULT_OVERSIGHT_THRESHOLDS,
      inject: [LEDGER_CONFIG],
    },
    { provide: CLOCK, useValue: systemClock },
    OversightProjector,
    OversightQuery,
  ],
  exports: [OversightQuery, OversightProjector],
})
export class OversightModule {}
