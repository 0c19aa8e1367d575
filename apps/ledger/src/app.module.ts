import { AuthModule } from '@aal/auth';
import { appDataSourceOptions } from '@aal/database';
import { HealthController, MetricsModule, postgresReadiness, READINESS_CHECKS, type ReadinessCheck } from '@aal/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountabilityQuery } from './accountability/application/accountability.query';
import { FactsProjector } from './accountability/application/facts.projector';
import { DEFAULT_SELF_AUDIT, SELF_AUDIT_SETTINGS, SelfAudit } from './accountability/application/self-audit';
import { AccountabilityController } from './accountability/http/accountability.controller';
import type { LedgerConfig } from './config';
import { LEDGER_SCHEMA } from './database/ledger.schema';
import { EntriesController } from './entries/http/entries.controller';
import { IntakeService } from './intake/application/intake.service';
import { CHECKPOINT_SETTINGS, CheckpointPublisher } from './log/application/checkpoint.publisher';
import { ProofsQuery } from './log/application/proofs.query';
import { WITNESS_SETTINGS, WitnessSubmitter } from './log/application/witness.submitter';
import { DEFAULT_WITNESS_INTERVAL_MS } from './log/domain/witness-config';
import { LogController } from './log/http/log.controller';
import { TilesController } from './log/http/tiles.controller';
import { LedgerConsumer } from './intake/infrastructure/ledger-consumer';
import { LedgerMetrics } from './ledger-metrics';
import { LEDGER_KAFKA_READINESS, LedgerKafkaModule } from './ledger-kafka.module';
import { InvestigationsModule } from './investigations/investigations.module';
import { InvestigatorWebModule } from './investigator-web/investigator-web.module';

@Module({})
export class AppModule {
  static register(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(appDataSourceOptions(config.database, LEDGER_SCHEMA)),
        CqrsModule.forRoot(),
        MetricsModule.forRoot('ledger'),
        AuthModule.forRoot(config.auth),
        LedgerKafkaModule.forRoot(config),
        InvestigationsModule.register(config),
        InvestigatorWebModule,
      ],
      controllers: [HealthController, EntriesController, LogController, TilesController, AccountabilityController],
      providers: [
        IntakeService,
        LedgerMetrics,
        LedgerConsumer,
        FactsProjector,
        AccountabilityQuery,
        SelfAudit,
        { provide: SELF_AUDIT_SETTINGS, useValue: config.selfAudit ?? DEFAULT_SELF_AUDIT },
        CheckpointPublisher,
        ProofsQuery,
        { provide: CHECKPOINT_SETTINGS, useValue: config.checkpoints },
        WitnessSubmitter,
        { provide: WITNESS_SETTINGS, useValue: config.witnesses ?? { witnesses: [], intervalMs: DEFAULT_WITNESS_INTERVAL_MS, timeoutMs: 10_000, behindAfterIntervals: 3 } },
        {
          provide: READINESS_CHECKS,
          useFactory: (ds: DataSource, kafka: ReadinessCheck, projector: FactsProjector, checkpoints: CheckpointPublisher, witnesses: WitnessSubmitter, audit: SelfAudit): ReadinessCheck[] => [
            postgresReadiness(ds),
            kafka,
            {
              name: 'projections',
              check: async () => {
                if (projector.lastError) throw new Error(`facts projection failing: ${projector.lastError}`);
              },
            },
            {
              name: 'checkpoints',
              check: async () => {
                if (checkpoints.lastError) throw new Error(`checkpoint signing failing: ${checkpoints.lastError}`);
              },
            },
            // Advisory: a witness behind shows as degraded, never as not ready (appends go on).
            witnesses.readiness(),
            {
              // The ledger still serves, but what it serves disagrees with its own log somewhere.
              name: 'self-audit',
              advisory: true,
              check: async () => {
                const first = audit.lastMismatches[0];
                if (first) throw new Error(`${audit.lastMismatches.length} mismatch(es); first: output ${first.outputId ?? '-'} at seq ${first.seq ?? '-'}: ${first.detail}`);
              },
            },
          ],
          inject: [DataSource, LEDGER_KAFKA_READINESS, FactsProjector, CheckpointPublisher, WitnessSubmitter, SelfAudit],
        },
      ],
    };
  }
}
