import { Module } from '@nestjs/common';
import type { LedgerConfig } from '../config';
import { LEDGER_CONFIG } from '../ledger-config.module';
import { AccountabilityQuery } from './application/accountability.query';
import { FactsProjector } from './application/facts.projector';
import { DEFAULT_SELF_AUDIT, SELF_AUDIT_SETTINGS, SelfAudit } from './application/self-audit';
import { AccountabilityController } from './http/accountability.controller';
import { ConcernAccountabilityQuery } from './application/concern-accountability.query';
import { ConcernAccountabilityController } from './http/concern-accountability.controller';
import { IncidentClockQuery } from './application/incident-clock.query';
import { IncidentClockController } from './http/incident-clock.controller';
import { OversightModule } from '../oversight/oversight.module';
import { DeploymentScopeQuery } from './application/deployment-scope.query';
import { DeploymentScopeController } from './http/deployment-scope.controller';

/**
 * Who built, approved, instructed and acted on each output: the facts projection (an index of the
 * log), the query that answers from proven entries, its route, and the self-audit that recomputes
 * sampled answers; and a deployment's approved scope (GET /deployments/{id}/scope), answered from
 * proven entries the same way. Exports the queries (investigations answer each case output and
 * deployment with them) and the
 * projector and self-audit, whose health the readiness check reads.
 */
@Module({
  // An output's answer is served with its week's oversight figures beside it (not part of the proven answer).
  imports: [OversightModule],
  controllers: [AccountabilityController, ConcernAccountabilityController, DeploymentScopeController, IncidentClockController],
  providers: [
    { provide: SELF_AUDIT_SETTINGS, useFactory: (config: LedgerConfig) => config.selfAudit ?? DEFAULT_SELF_AUDIT, inject: [LEDGER_CONFIG] },
    FactsProjector,
    AccountabilityQuery,
    ConcernAccountabilityQuery,
    DeploymentScopeQuery,
    IncidentClockQuery,
    SelfAudit,
  ],
  exports: [AccountabilityQuery, DeploymentScopeQuery, IncidentClockQuery, FactsProjector, SelfAudit],
})
export class AccountabilityModule {}
